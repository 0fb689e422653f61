@interaction:exemption_search @req:RTEC-RES-04
Feature: RTEC bearer token — the service refuses a search without a valid token
  The gateway answers token errors per RFC 6750 §3.1 with 401 (RTEC-RES-04); a service that
  answers the search anyway does not enforce the bearer token.

  Scenario Outline: A search presenting <defect> is refused with 401
    When the client checks the exempt patient presenting <defect>
    Then the service refuses it with 401

    Examples:
      | defect            |
      | no token          |
      | an expired token  |
      | a malformed token |
