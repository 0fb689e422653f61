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

  @req:JWT-09 @interaction:create_appointment @destructive
  Scenario: A booking for a practitioner who has no smartcard is accepted
    Given a free slot in the configured window
    When the consumer sends its create_appointment request for a practitioner who has no smartcard
    Then the provider answers it with 201 and its resource as JWT-09 requires

  @req:JWT-09 @interaction:read_appointment @destructive
  Scenario: An appointment read for a practitioner who has no smartcard is accepted
    Given a slot the consumer has booked
    When the consumer sends its read_appointment request for a practitioner who has no smartcard
    Then the provider answers it with 200 and its resource as JWT-09 requires

  @req:JWT-09 @interaction:update_appointment @destructive
  Scenario: A cancel for a practitioner who has no smartcard is accepted
    Given a slot the consumer has booked
    When the consumer sends its update_appointment request for a practitioner who has no smartcard
    Then the provider answers it with 200 and its resource as JWT-09 requires
