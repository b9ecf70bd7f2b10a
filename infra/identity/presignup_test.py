"""Tests of the pre sign-up trigger (presignup.py), run on Cognito's events:
python3 -m unittest discover -s infra/identity -p '*_test.py'"""
import importlib
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))


def trigger(allowed):
    os.environ["ALLOWED"] = json.dumps(allowed)
    import presignup
    return importlib.reload(presignup)


def event(source, user, attributes):
    return {
        "version": "1", "triggerSource": source, "region": "eu-west-1", "userPoolId": "eu-west-1_AbCdEf123",
        "userName": user, "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "abc"},
        "request": {"userAttributes": attributes, "validationData": {}},
        "response": {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False},
    }


def federated(user, email, **more):
    return event("PreSignUp_ExternalProvider", user, dict({"email": email, "email_verified": "true"}, **more))


class PreSignUp(unittest.TestCase):
    def setUp(self):
        self.t = trigger({
            "google": {"domains": ["corp.example.org"], "emails": ["contractor@gmail.com"], "verified": True},
            "okta": {"any": True},
            "entra_id": {"domains": ["example.com"]},
        })

    def admits(self, e):
        self.assertEqual(self.t.handler(e, None), e)

    def refuses(self, e):
        with self.assertRaises(Exception):
            self.t.handler(e, None)

    def test_the_whole_domain_after_the_at(self):
        self.admits(federated("Google_1234", "alice@corp.example.org"))
        self.admits(federated("google_1234", "Alice@Corp.Example.ORG "))
        self.refuses(federated("Google_1234", "mallory@gmail.com"))
        self.refuses(federated("Google_1234", "eve@evilcorp.example.org.attacker.net"))
        self.refuses(federated("Google_1234", "eve@attacker-corp.example.org"))
        self.refuses(federated("Google_1234", "eve@sub.corp.example.org"))
        self.refuses(federated("Google_1234", "eve@corp.example.org@attacker.net"))
        self.refuses(federated("Google_1234", "corp.example.org"))

    def test_listed_addresses(self):
        self.admits(federated("Google_5678", "contractor@gmail.com"))
        self.refuses(federated("Google_5678", "contractor2@gmail.com"))

    def test_no_email_no_sign_up(self):
        self.refuses(event("PreSignUp_ExternalProvider", "Google_1", {}))
        self.refuses(federated("Google_1", ""))
        self.refuses(federated("Google_1", "@corp.example.org"))

    def test_an_unverified_email_is_refused(self):
        self.refuses(federated("Google_1", "alice@corp.example.org", email_verified="false"))
        self.admits(federated("Google_1", "alice@corp.example.org", email_verified="true"))
        self.admits(federated("Google_1", "alice@corp.example.org", email_verified=True))

    def test_google_must_say_it_verified_the_address(self):
        self.refuses(event("PreSignUp_ExternalProvider", "Google_1", {"email": "alice@corp.example.org"}))
        # A provider whose IdP sends no email_verified (Entra ID) is judged
        # on the address; one that says false is refused.
        self.admits(event("PreSignUp_ExternalProvider", "Entra_ID_1", {"email": "bob@example.com"}))
        self.refuses(event("PreSignUp_ExternalProvider", "Entra_ID_1", {"email": "bob@example.com", "email_verified": "False"}))

    def test_each_provider_by_its_own_rule(self):
        self.admits(federated("Okta_00u1", "anyone@anywhere.example"))
        self.admits(federated("Entra_ID_abc", "bob@example.com"))
        self.refuses(federated("Entra_ID_abc", "bob@corp.example.org"))
        self.refuses(federated("Unknown_1", "alice@corp.example.org"))

    def test_the_pools_own_users_are_left_alone(self):
        self.admits(event("PreSignUp_AdminCreateUser", "invited@somewhere.example", {"email": "invited@somewhere.example"}))
        self.admits(event("PreSignUp_SignUp", "self@somewhere.example", {"email": "self@somewhere.example"}))


if __name__ == "__main__":
    unittest.main()
