@interaction:exemption_search
Feature: RTEC answers — what each one carries besides its status
  errors.md documents the body of every answer: {message, type} as JSON for 200, 400 and 404 (the
  swagger produces application/json), and no response object for 401, 500, 501 and 503. Token
  errors are answered per RFC 6750 §3: a WWW-Authenticate challenge with the Bearer scheme; with
  error="invalid_token" when a presented token failed, and no error code when none was sent
  (both SHOULD: advisory).

  @req:RTEC-RES-05
  Scenario Outline: A search refused for <defect> carries a Bearer challenge and no body
    When the client's check of the exempt patient presents <defect>
    Then the 401 answer carries a Bearer challenge and no body

    Examples:
      | defect            |
      | no token          |
      | an expired token  |
      | a malformed token |

  @req:RTEC-RES-06
  Scenario: Answers with a body are JSON; server errors, when they happen, carry none
    When the client checks the exempt patient, the patient who has none, and a request without a surname
    Then each answer carries a JSON body declared application/json, or none where errors.md documents none
