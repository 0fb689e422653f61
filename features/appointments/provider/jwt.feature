Feature: JWT — optional token content the provider must cope with
  A conformant token may leave out requesting_practitioner (optional since 2020-12) unless
  spec.practitioner_required says it is mandatory, and a practitioner without an NHS smartcard
  carries the SDS user id and role profile id UNK (UEC fs_authentication.md). The token errors
  every interaction must refuse are in token_matrix.feature.

  @interaction:read_metadata @req:JWT-08
  Scenario: A token without requesting_practitioner is treated as the spec choice says
    When the consumer reads the CapabilityStatement with a conformant token that leaves out requesting_practitioner
    Then the provider treats the missing practitioner as spec.practitioner_required says

  @req:JWT-09
  Scenario Outline: A <interaction> request for a practitioner who has no smartcard is accepted
    When the consumer sends its <interaction> request for a practitioner who has no smartcard
    Then the provider answers it with 200 and its resource as JWT-09 requires

    Examples:
      | interaction        |
      | read_metadata      |
      | search_slot        |
      | search_appointment |
