"""Delivery adapters: SMTP, the IMAP Drafts folder, the clipboard; and their passwords."""
