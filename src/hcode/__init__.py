"""hcode: the Housing Ombudsman's Complaint Handling Code, checked from plain files in git."""

__version__ = "0.1.0"
