@req:TLS-03 @interaction:read_metadata
Feature: Mutual TLS — a provider that authenticates clients by certificate refuses the others
  Booking providers authenticate systems with TLS mutual authentication (the Booking pages'
  Security; Spine Core: both legs, consumer to SSP and SSP to provider). With [tls] client_cert
  configured, the harness first reads the metadata presenting that certificate (it must be
  served), then presents no client certificate, an expired one ([tls] expired_client_cert) and one
  from a CA made for the run: each must be refused, by the handshake or with an error instead of
  the CapabilityStatement. Without [tls] client_cert the target is not using mutual TLS and TLS-03
  is out of scope. Every certificate presented, by either side, is kept as evidence.

  Scenario Outline: The <endpoint> refuses a connection presenting <presented>
    When the harness connects to the <endpoint> presenting <presented>
    Then the <endpoint> refused it, although it served the configured client certificate

    Examples:
      | endpoint | presented                            |
      | provider | no client certificate                |
      | provider | an expired client certificate        |
      | provider | a client certificate from another CA |
      | SSP      | no client certificate                |
      | SSP      | an expired client certificate        |
      | SSP      | a client certificate from another CA |
