"""slm.offload"""
