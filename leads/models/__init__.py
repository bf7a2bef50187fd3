"""Enquiries and what feeds them: web lead forms, assignment rules, the conversion mapping."""

from leads.models.assignment import AssignmentRule
from leads.models.conversion import ConversionMapping
from leads.models.lead import MONEY, Lead, LeadLine
from leads.models.webforms import WebForm, WebFormField, WebFormSubmission

__all__ = [
    "MONEY",
    "AssignmentRule",
    "ConversionMapping",
    "Lead",
    "LeadLine",
    "WebForm",
    "WebFormField",
    "WebFormSubmission",
]
