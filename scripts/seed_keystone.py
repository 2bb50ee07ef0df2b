"""Seeds a fresh local Keystone with demo data for the console.

Usage: seed_keystone.py IDENTITY_URL ADMIN_PASSWORD

Creates the project "demo", the member user "alice", gives the admin its default project
"admin", and for both alice and the admin one
credential of each v3 type (ec2, totp, cert and a custom one). Prints the demo logins.
"""
import json
import secrets
import sys
import urllib.request

URL, ADMIN_PASSWORD = sys.argv[1].rstrip("/"), sys.argv[2]
ALICE_PASSWORD = "keyrack-alice"


def call(method, path, body=None, token=None):
    request = urllib.request.Request(URL + path, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("X-Auth-Token", token)
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(request, data, timeout=30) as response:
        text = response.read().decode()
        return response.headers, (json.loads(text) if text else None)


def sign_in(user, password, project):
    headers, _ = call("POST", "/auth/tokens", {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": user, "domain": {"id": "default"}, "password": password}}},
        "scope": {"project": {"name": project, "domain": {"id": "default"}}},
    }})
    return headers["X-Subject-Token"]


def find(token, collection, name):
    _, body = call("GET", f"/{collection}?name={name}", token=token)
    return body[collection][0]["id"]


def seed_credentials(token, user_id, project_id, label):
    access = secrets.token_hex(16)
    blobs = [
        ("ec2", {"access": access, "secret": secrets.token_hex(16)}),
        # Keystone's TOTP plugin reads the base32 seed as the bare blob; a cert blob is PEM text.
        ("totp", "".join(secrets.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(32))),
        ("cert", "-----BEGIN CERTIFICATE-----\nMIIBdemo" + label + "\n-----END CERTIFICATE-----\n"),
        ("keyrack-note", {"description": f"Demo custom credential of {label}"}),
    ]
    for kind, blob in blobs:
        text = blob if isinstance(blob, str) else json.dumps(blob)
        credential = {"type": kind, "user_id": user_id, "blob": text}
        if kind == "ec2":
            credential["project_id"] = project_id
        call("POST", "/credentials", {"credential": credential}, token=token)


def main():
    admin_token = sign_in("admin", ADMIN_PASSWORD, "admin")
    _, body = call("POST", "/projects", {"project": {
        "name": "demo", "domain_id": "default", "description": "Keyrack demo project"}}, admin_token)
    demo_id = body["project"]["id"]
    _, body = call("POST", "/users", {"user": {
        "name": "alice", "domain_id": "default", "password": ALICE_PASSWORD,
        "default_project_id": demo_id}}, admin_token)
    alice_id = body["user"]["id"]
    member_id = find(admin_token, "roles", "member")
    call("PUT", f"/projects/{demo_id}/users/{alice_id}/roles/{member_id}", token=admin_token)
    admin_id = find(admin_token, "users", "admin")
    admin_project_id = find(admin_token, "projects", "admin")
    # Signing in without naming a project then scopes to "admin", with its roles (as the README's
    # table says); without a default project Keystone gives an unscoped token with no roles.
    call("PATCH", f"/users/{admin_id}", {"user": {"default_project_id": admin_project_id}},
         admin_token)
    seed_credentials(admin_token, admin_id, admin_project_id, "admin")
    alice_token = sign_in("alice", ALICE_PASSWORD, "demo")
    seed_credentials(alice_token, alice_id, demo_id, "alice")
    print("[keystone] seeded demo data: project demo; users admin (admin role) and alice (member of demo)")


if __name__ == "__main__":
    main()
