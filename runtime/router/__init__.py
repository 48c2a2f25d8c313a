"""slm.router"""
