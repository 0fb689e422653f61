@req:TLS-04 @interaction:read_metadata
Feature: Plain HTTP sent to the HTTPS port is not served
  Transport security SHALL be TLS/HTTPS (UEC implementation guidance; Spine Core, whose proxy
  answers 497 to plain HTTP on its HTTPS port). The harness sends the same credential-free request
  for the metadata over TLS and then in plain HTTP to the same port: the plain one must not be
  served (no answer, or an error of its own, never the answer the service gives over TLS).

  Scenario Outline: The <endpoint> does not serve plain HTTP on its HTTPS port
    When the harness sends plain HTTP to the <endpoint>'s HTTPS port
    Then it did not serve the plain HTTP request

    Examples:
      | endpoint |
      | provider |
      | SSP      |
