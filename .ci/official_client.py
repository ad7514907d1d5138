"""Losant's official Python client (the `losant-rest` package) against the fake: every member
action, and the invitee's answer to an invite, must go as the client expects.

    python3 official_client.py URL    URL of a fake started with `--seed demo`

Exits non-zero, naming the first disagreement.
"""

import json
import sys
import urllib.request

from losant_rest import Client
from losant_rest.losant_error import LosantError

INSTANCE = "575ec8687ae143cd83dc4a95"
ORG = "575ec8687ae143cd83dc4a97"
OWNER = "575ef90f7ae143cd83dc4aad"
FRANCES = "5f3c1a2b9d8e7f6100000001"
SAM = "5f3c1a2b9d8e7f6100000003"


def expect(condition, what):
    if not condition:
        sys.exit(f"official client: {what}")
    print(f"ok  {what}")


def refused(call, status):
    try:
        call()
    except LosantError as error:
        return error.status == status
    return False


def main(url):
    client = Client(auth_token="demo-admin-token", url=url)
    ids = {"instanceId": INSTANCE, "orgId": ORG}

    listed = client.instance_org_members.get(**ids, sortField="email", sortDirection="desc")
    emails = [member["email"] for member in listed["items"]]
    expect(emails == sorted(emails, reverse=True) and listed["count"] == len(emails),
           "instanceOrgMembers.get lists every member, sorted as asked")
    admins = client.instance_org_members.get(**ids, filterField="role", filter="admin")
    expect({m["userId"] for m in admins["items"]} == {OWNER, FRANCES},
           "instanceOrgMembers.get filters by role")

    member = client.instance_org_member.get(**ids, userId=SAM)
    expect(member["email"] == "sam@partner.example" and member["role"] == "edit",
           "instanceOrgMember.get answers the member")
    patched = client.instance_org_member.patch(**ids, userId=SAM, member={"role": "view"})
    expect(patched["role"] == "view", "instanceOrgMember.patch changes the role")
    expect(client.instance_org_member.delete(**ids, userId=SAM) == {"success": True},
           "instanceOrgMember.delete answers success")
    expect(refused(lambda: client.instance_org_member.get(**ids, userId=SAM), 404),
           "a member removed is 404")

    added = client.instance_org_members.post(**ids, member={"userId": SAM, "role": "edit"})
    expect(added["userId"] == SAM and added["role"] == "edit",
           "instanceOrgMembers.post adds a user by ID")
    invited = client.instance_org_members.post(
        **ids, member={"email": "python.newcomer@example.com", "role": "view"})
    expect(invited.get("email") == "python.newcomer@example.com" and "id" in invited,
           "instanceOrgMembers.post of an unknown email answers the invite it sent")
    expect(refused(lambda: client.instance_org_members.post(
        **ids, member={"userId": SAM, "email": "x@example.com", "role": "view"}), 400),
        "instanceOrgMembers.post refuses both userId and email")

    client.instance_org_member.patch(**ids, userId=FRANCES, member={"role": "view"})
    expect(refused(lambda: client.instance_org_member.patch(
        **ids, userId=OWNER, member={"role": "view"}), 400),
        "the last administrator cannot be demoted")
    expect(refused(lambda: client.instance_org_member.delete(**ids, userId=OWNER), 400),
           "the last administrator cannot be removed")

    with urllib.request.urlopen(f"{url}/_fake/outbox") as answer:
        outbox = json.load(answer)
    mail = next(m for m in outbox if m["inviteId"] == invited["id"])
    accepted = client.org_invites.post(
        invite={"email": mail["email"], "token": mail["token"], "accept": True})
    expect(accepted == {"accepted": True, "orgId": ORG}, "orgInvites.post accepts the invite")
    joined = client.instance_org_members.get(
        **ids, filterField="email", filter="python.newcomer@example.com")
    expect(len(joined["items"]) == 1 and joined["items"][0]["role"] == "view",
           "who accepted is a member with the invite's role")
    expect(refused(lambda: client.org_invites.post(
        invite={"email": mail["email"], "token": mail["token"], "accept": True}), 404),
        "an invite used up is 404")


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"))
