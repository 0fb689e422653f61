Feature: TLS — the exemption service's certificate is verified
  Clients must validate the service's certificate, including its host name (system_auth.md).

  @req:TLS-01
  Scenario: The exemption service presents a certificate that chains to the configured CAs
    When the harness opens a TLS connection to the exemption service
    Then the server certificate chains to the configured CAs and matches the host name
