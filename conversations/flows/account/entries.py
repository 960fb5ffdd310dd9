"""The account's flows, in the order the command lists show them."""

from conversations.flow import Entry
from conversations.flows.account.certificates import certificates_flow
from conversations.flows.account.invoice_phone import invoice_phone
from conversations.flows.account.language import language
from conversations.flows.account.linking import link
from conversations.flows.account.onboarding import notifications, onboarding
from conversations.flows.account.profile import profile
from conversations.flows.account.registration import registration, verify_email

ACCOUNT_FLOWS: list[Entry] = [
    registration, verify_email, language, onboarding, notifications, profile, certificates_flow,
    link, invoice_phone,
]
