"""A throwaway consumer as a supplier might write it: standard library only, no spine_conformance.

Usage: supplier_consumer.py slots --ssp URL --provider URL --service ID --from ASID --to ASID --ca PEM
       supplier_consumer.py appointments --ssp URL --provider URL --nhs N --param NAME --from ASID --to ASID --ca PEM
       supplier_consumer.py exemption --rtec URL --dob D --nhs N --postcode P --surname S --rx ID --from ASID
                            --ods CODE --state STATE --ca PEM
Prints the HTTP status; exits 1 when the other side refused (4xx/5xx). An exemption check is never
made in the states the README lists as "no check", falls back to the paper declaration on any
failure, and gives up after 2 s.
"""

import base64
import datetime
import json
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

ISSUER = "https://supplier.example/"
ODS = "https://fhir.nhs.uk/Id/ods-organization-code"


def b64(data: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")


def token(claims: dict) -> str:
    return "Bearer " + b64({"alg": "none", "typ": "JWT"}) + "." + b64(claims) + "."


def appointments_claims(base: str, scope: str) -> dict:
    now = int(time.time())
    practitioner_ids = [
        {"system": "https://fhir.nhs.uk/Id/sds-user-id", "value": "U1"},
        {"system": "https://fhir.nhs.uk/Id/sds-role-profile-id", "value": "UNK"},
    ]
    claims = {
        "iss": ISSUER,
        "sub": "U1",
        "aud": base,
        "iat": now,
        "exp": now + 300,
        "reason_for_request": "directcare",
        "requested_scope": scope,
        "requesting_device": {
            "resourceType": "Device",
            "identifier": [{"system": ISSUER, "value": "D1"}],
            "model": "x",
            "version": "1",
        },
        "requesting_organization": {
            "resourceType": "Organization",
            "identifier": [{"system": ODS, "value": "A11111"}],
            "name": "Supplier",
        },
        "requesting_practitioner": {
            "resourceType": "Practitioner",
            "id": "U1",
            "identifier": practitioner_ids,
            "name": [{"family": "Smith"}],
        },
    }
    return claims


def ssp_headers(args: dict, interaction: str, scope: str) -> dict:
    return {
        "Ssp-TraceID": str(uuid.uuid4()),
        "Ssp-From": args["--from"],
        "Ssp-To": args["--to"],
        "Ssp-InteractionID": "urn:nhs:names:services:careconnect:fhir:rest:" + interaction,
        "Authorization": token(appointments_claims(args["--provider"], scope)),
        "Accept": "application/fhir+json",
    }


def slot_search(args: dict) -> urllib.request.Request:
    base = args["--provider"]
    start = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    end = start + datetime.timedelta(days=7)
    query = urllib.parse.urlencode(
        [
            ("schedule.actor:healthcareservice", args["--service"]),
            ("status", "free"),
            ("start", "ge" + start.isoformat()),
            ("start", "le" + end.isoformat()),
        ]
    )
    headers = ssp_headers(args, "search:slot", "organization/slot.read")
    return urllib.request.Request(args["--ssp"].rstrip("/") + "/" + base + "/Slot?" + query, headers=headers)


def patient_appointments(args: dict) -> urllib.request.Request:
    query = urllib.parse.urlencode([(args["--param"], "https://fhir.nhs.uk/Id/nhs-number|" + args["--nhs"])])
    headers = ssp_headers(args, "search:appointment", "patient/appointment.read")
    url = args["--ssp"].rstrip("/") + "/" + args["--provider"] + "/Appointment?" + query
    return urllib.request.Request(url, headers=headers)


# The consumer states (README, "The consumer suite") in which a dispensing system must not check.
NO_CHECK = {
    "user-without-b0570",
    "user-not-authenticated",
    "prisoner-on-release",
    "contraceptive-item",
    "sexual-health-endorsement",
    "eps-release-1",
    "patient-not-synchronised",
    "patient-formally-deceased",
    "patient-informally-deceased",
    "patient-sensitive",
    "automatic-checking-off",
    "claim-amendment",
}


def exemption_check(args: dict) -> urllib.request.Request:
    url, now = args["--rtec"], int(time.time())
    claims = {
        "iss": args["--from"],
        "sub": "U1",
        "aud": url,
        "iat": now,
        "exp": now + 300,
        "reason_for_request": "directcare",
        "requested_scope": urllib.parse.urlsplit(url).path,
        "requesting_device": args["--from"],
        "requesting_organization": args.get("--ods", "A11111"),
        "requesting_practitioner": "U1",
    }
    body = {
        "dob": args["--dob"],
        "nhsNumber": args["--nhs"],
        "postcode": args["--postcode"],
        "surname": args["--surname"],
        "prescriptionId": args["--rx"],
    }
    headers = {"Authorization": token(claims), "Ssp-From": args["--from"], "Content-Type": "application/json"}
    return urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers)


def main() -> None:
    args = dict(zip(sys.argv[2::2], sys.argv[3::2], strict=True))
    if sys.argv[1] == "exemption":
        exemption(args)
        return
    builders = {"slots": slot_search, "appointments": patient_appointments}
    request = builders[sys.argv[1]](args)
    context = ssl.create_default_context(cafile=args["--ca"])
    try:
        with urllib.request.urlopen(request, context=context, timeout=10) as answer:
            print(answer.status)
    except urllib.error.HTTPError as error:
        print(error.code)
        sys.exit(1)


def exemption(args: dict) -> None:
    if args.get("--state", "") in NO_CHECK:
        print("no exemption check in this situation")
        return
    if not all(args[name].isascii() for name in ("--surname", "--postcode", "--dob", "--nhs")):
        print("no exemption check: the demographics hold characters the service cannot take")
        return
    context = ssl.create_default_context(cafile=args["--ca"])
    try:
        with urllib.request.urlopen(exemption_check(args), context=context, timeout=2) as answer:
            found = json.loads(answer.read())
        print(f"exemption {found['type']}: {found['message']}")
    except urllib.error.HTTPError as error:
        word = "not confirmed" if error.code == 404 else f"unavailable (HTTP {error.code})"
        print(f"exemption checking service {word}: obtain the patient's paper declaration")
    except (OSError, ValueError, KeyError, TypeError):  # no answer in time, TLS, or not the documented answer
        print("exemption checking service unavailable: obtain the patient's paper declaration")


if __name__ == "__main__":
    main()
