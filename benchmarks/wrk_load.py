"""Drive the demonstrator with wrk (a C load generator) so the figures measure the server,
not the Python client. Requests carry real Ssp-* headers (a fresh trace ID each), JWTs minted
for the run (valid for 300 s, longer than a run) and, for bookings, real Appointments.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from spine_conformance.config.model import TargetConfig
from spine_conformance.fhir.examples import booking_appointment
from spine_conformance.interactions import Interaction
from spine_conformance.ssp import SspIdentity
from spine_conformance.tokens import bearer, mint_appointments_token

UUID_LUA = r"""
math.randomseed(os.time() + math.floor(os.clock() * 1000000))
local function uuid()
  return (string.gsub("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", "[xy]", function (c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end
local function with_trace(base)
  local h = {}
  for k, v in pairs(base) do h[k] = v end
  h["Ssp-TraceID"] = uuid()
  return h
end
"""

STATUS_LUA = r"""
local statuses = {}
local threads = {}
setup = function(thread) table.insert(threads, thread) end
local function count(status) statuses[status] = (statuses[status] or 0) + 1 end
done = function(summary, latency, requests)
  local merged = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses_text") or ""
    for code, n in string.gmatch(s, "(%d+)=(%d+)") do merged[code] = (merged[code] or 0) + tonumber(n) end
  end
  for code, n in pairs(merged) do io.write(string.format("STATUS %s %d\n", code, n)) end
end
local function publish()
  local parts = {}
  for code, n in pairs(statuses) do table.insert(parts, code .. "=" .. n) end
  wrk.thread:set("statuses_text", table.concat(parts, ","))
end
"""


def available() -> bool:
    return shutil.which("wrk") is not None


def _lua_table(headers: dict[str, str]) -> str:
    return "{" + ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()) + "}"


def _headers(target: TargetConfig, interaction: Interaction, **extra: str) -> dict[str, str]:
    identity = SspIdentity(target.consumer.asid, target.provider.asid)
    headers = identity.headers(interaction)
    del headers["Ssp-TraceID"]  # set per request in Lua
    token = mint_appointments_token(target.consumer, target.provider.base_url, interaction)
    return {**headers, "Authorization": bearer(token), "Accept": "application/fhir+json", **extra}


def run_wrk(script: str, url: str, seconds: int, connections: int) -> tuple[dict[int, int], str]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    completed = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", handle.name, url],
        capture_output=True,
        text=True,
        check=False,
        timeout=seconds + 60,
    )
    Path(handle.name).unlink()
    output = completed.stdout
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed ({completed.returncode}): {completed.stderr or completed.stdout}")
    statuses = {int(code): int(n) for code, n in re.findall(r"STATUS (\d+) (\d+)", output)}
    return statuses, output


def slot_search_script(target: TargetConfig, query: list[tuple[str, str]]) -> str:
    path = urlsplit(target.provider.base_url).path + "/Slot?" + urlencode(query)
    headers = _headers(target, Interaction.SEARCH_SLOT)
    return (
        UUID_LUA
        + STATUS_LUA
        + f"""
local base = {_lua_table(headers)}
request = function() return wrk.format("GET", {json.dumps(path)}, with_trace(base)) end
response = function(status, headers, body) count(tostring(status)); publish() end
"""
    )


def book_cancel_script(target: TargetConfig, slots: list[dict[str, Any]]) -> str:
    base_path = urlsplit(target.provider.base_url).path
    headers = _headers(target, Interaction.CREATE_APPOINTMENT, **{"Content-Type": "application/fhir+json"})
    bodies = []
    for slot in slots:
        body = {
            **booking_appointment(),
            "start": slot["start"],
            "end": slot["end"],
            "slot": [{"reference": f"Slot/{slot['id']}"}],
        }
        bodies.append(json.dumps(json.dumps(body, separators=(",", ":"))))
    return (
        UUID_LUA
        + STATUS_LUA
        + f"""
local base = {_lua_table(headers)}
local bodies = {{{", ".join(bodies)}}}
local next_body = math.random(1, #bodies)
local pending = {{}}
request = function()
  if #pending > 0 then
    local p = table.remove(pending, 1)
    local h = with_trace(base)
    h["If-Match"] = p.etag
    h["Ssp-InteractionID"] = "urn:nhs:names:services:careconnect:fhir:rest:update:appointment"
    return wrk.format("PUT", {json.dumps(base_path)} .. "/Appointment/" .. p.id, h, p.body)
  end
  local body = bodies[next_body]
  next_body = next_body % #bodies + 1
  return wrk.format("POST", {json.dumps(base_path + "/Appointment")}, with_trace(base), body)
end
response = function(status, headers, body)
  if status == 201 then
    local id = string.match(headers["location"] or headers["Location"] or "", "/Appointment/([^/]+)/_history")
    local cancelled = string.gsub(body, '"status":"booked"', '"status":"cancelled"', 1)
    table.insert(pending, {{id = id, etag = headers["etag"] or headers["ETag"], body = cancelled}})
    count("201")
  else
    count(tostring(status))
  end
  publish()
end
"""
    )
