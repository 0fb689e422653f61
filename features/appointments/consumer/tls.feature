@req:TLS-02 @interaction:search_slot
Feature: TLS — the consumer refuses a server whose certificate fails validation
  A virtual SSP presents a certificate for the wrong host name, another one from a CA the
  consumer was never given, a third one that has expired; a consumer that validates certificates
  never sends them a request. The certificate each presented is kept as evidence.

  Scenario Outline: An SSP presenting a certificate <which> gets no request
    When the consumer under test searches for slots through an SSP presenting a certificate <which>
    Then no request reached the SSP presenting a certificate <which>

    Examples:
      | which                      |
      | for another host name      |
      | from a CA it was not given |
      | that has expired           |
