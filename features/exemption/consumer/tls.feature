@req:TLS-02 @interaction:exemption_search
Feature: TLS — the exemption-checking client refuses a service whose certificate fails validation
  RTEC development overview (Endpoint Authentication): clients must validate the server certificate
  used by the service, ensuring that it matches the host name. Virtual RTEC services present a
  certificate for another host name, one from a CA the client was never given and one that has
  expired; a client that validates certificates never sends them a check. The certificate each
  presented is kept as evidence.

  Scenario Outline: An RTEC service presenting a certificate <which> gets no check
    When the consumer under test checks an adult's exemption with a service presenting a certificate <which>
    Then no request reached the exemption service presenting a certificate <which>

    Examples:
      | which                      |
      | for another host name      |
      | from a CA it was not given |
      | that has expired           |
