@interaction:read_metadata @req:JWT-08
Feature: JWT — the provider refuses a missing, expired or malformed token
  The provider answers token errors with spec.token_error_status (403 by default) and an
  OperationOutcome, and copes with requesting_practitioner being absent (optional since 2020-12)
  unless spec.practitioner_required says it is mandatory.

  @req:ERR-01
  Scenario Outline: A request presenting <defect> is refused
    When the consumer reads the CapabilityStatement presenting <defect>
    Then the provider refuses it with the configured token error status and an OperationOutcome

    Examples:
      | defect                                             |
      | no Authorization header                            |
      | a token that is not base64url                      |
      | a token without iss                                |
      | a token without sub                                |
      | a token without aud                                |
      | a token without iat                                |
      | a token without exp                                |
      | a token without reason_for_request                 |
      | a token without requested_scope                    |
      | a token without requesting_device                  |
      | a token without requesting_organization            |
      | an expired token                                   |
      | a token whose exp is iat + 600                     |
      | a token for another audience                       |
      | a token with the scope of another interaction      |
      | a token whose reason_for_request is not directcare |

  @req:ERR-01 @interaction:search_slot
  Scenario Outline: A slot search presenting <defect> is refused too
    When the consumer searches for free slots presenting <defect>
    Then the provider refuses it with the configured token error status and an OperationOutcome

    Examples:
      | defect                  |
      | no Authorization header |
      | an expired token        |

  Scenario: A token without requesting_practitioner is treated as the spec choice says
    When the consumer reads the CapabilityStatement with a conformant token that leaves out requesting_practitioner
    Then the provider treats the missing practitioner as spec.practitioner_required says
