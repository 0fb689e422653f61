Feature: TLS — the provider's and the SSP's certificates are verified, never bypassed
  Every connection the harness makes verifies the server certificate; these scenarios make
  the result explicit for each configured endpoint.

  @req:TLS-01
  Scenario Outline: The <endpoint> presents a certificate that chains to the configured CAs
    When the harness opens a TLS connection to the <endpoint>
    Then the server certificate chains to the configured CAs and matches the host name

    Examples:
      | endpoint |
      | provider |
      | SSP      |
