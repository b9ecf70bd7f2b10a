"""The user pool's pre sign-up trigger: who may sign up through an identity provider.

Cognito creates a user the first time anyone signs in through a federated
provider, whatever the pool's sign-up setting says. This trigger refuses such
a sign-up unless the e-mail address the provider vouches for is one the stack
allows for that provider. ALLOWED maps each provider's name, in lower case,
to {"domains": [...], "emails": [...]} or {"any": true}; "verified": true
requires the provider to say it verified the address (Google always does;
an address a provider says it has not verified is refused in any case).
"""
import json
import os

ALLOWED = json.loads(os.environ.get("ALLOWED", "{}"))


def handler(event, context):
    if event.get("triggerSource") != "PreSignUp_ExternalProvider":
        # The pool's own sign-up and administrators' invitations: the
        # pool's settings decide those.
        return event
    rule = rule_for(event.get("userName", ""))
    if rule is None:
        raise Exception("Sign-up refused: no rule for this identity provider.")
    if rule.get("any"):
        return event
    attributes = (event.get("request") or {}).get("userAttributes") or {}
    verified = str(attributes.get("email_verified", "")).lower()
    if verified == "false" or (rule.get("verified") and verified != "true"):
        raise Exception("Sign-up refused: the identity provider has not verified the e-mail address.")
    email = str(attributes.get("email") or "").strip().lower()
    local, at, domain = email.rpartition("@")
    if not at or not local or not domain or "@" in local:
        raise Exception("Sign-up refused: the identity provider sent no e-mail address.")
    if email in rule.get("emails", []) or domain in rule.get("domains", []):
        return event
    raise Exception("Sign-up refused: this account may not sign in here.")


def rule_for(user_name):
    """The rule of the provider a federated user comes from: Cognito names
    the user <ProviderName>_<id>, and a provider's name may hold an
    underscore itself, so the longest name that prefixes it wins."""
    name = user_name.lower()
    best = None
    for provider in ALLOWED:
        if name.startswith(provider + "_") and (best is None or len(provider) > len(best)):
            best = provider
    return None if best is None else ALLOWED[best]
