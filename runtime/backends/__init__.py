"""slm.backends"""
