"""slm.energy"""
