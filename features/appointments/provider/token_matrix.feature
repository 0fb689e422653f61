@req:JWT-08 @req:ERR-01 @matrix
Feature: JWT — every interaction refuses a missing, expired or malformed token
  The provider answers a token error on any of the six interactions with spec.token_error_status
  (403 by default) and an OperationOutcome: no token, a token that cannot be read, each claim
  missing or wrong, a lifetime other than exactly 300 seconds, and requesting_* claims that are not
  valid resources of their type (UEC fs_authentication.md). Each request is otherwise conformant;
  what an interaction needs (a free slot, a booked appointment) is set up first.

  @interaction:read_metadata
  Scenario Outline: A CapabilityStatement read presenting <defect> is refused
    When the consumer sends its read_metadata request presenting <defect>
    Then the provider refuses it with the configured token error status and an OperationOutcome

    Examples:
      | defect                                                |
      | no Authorization header                               |
      | a token that is not base64url                         |
      | a token without iss                                   |
      | a token without sub                                   |
      | a token without aud                                   |
      | a token without iat                                   |
      | a token without exp                                   |
      | a token without reason_for_request                    |
      | a token without requested_scope                       |
      | a token without requesting_device                     |
      | a token without requesting_organization               |
      | an expired token                                      |
      | a token whose exp is iat + 600                        |
      | a token for another audience                          |
      | a token with the scope of another interaction         |
      | a token whose reason_for_request is not directcare    |
      | a token whose exp is iat + 299                        |
      | a token whose exp is iat + 301                        |
      | a token whose exp is before its iat                   |
      | a requesting_device that is not a Device              |
      | a requesting_device without an identifier             |
      | a requesting_organization that is not an Organization |
      | a requesting_organization without an ODS code         |
      | a requesting_practitioner that is not a Practitioner  |
      | a requesting_practitioner whose id is not sub         |
      | a requesting_practitioner without SDS identifiers     |

  @interaction:search_slot
  Scenario Outline: A slot search presenting <defect> is refused
    When the consumer sends its search_slot request presenting <defect>
    Then the provider refuses it with the configured token error status and an OperationOutcome

    Examples:
      | defect                                                |
      | no Authorization header                               |
      | a token that is not base64url                         |
      | a token without iss                                   |
      | a token without sub                                   |
      | a token without aud                                   |
      | a token without iat                                   |
      | a token without exp                                   |
      | a token without reason_for_request                    |
      | a token without requested_scope                       |
      | a token without requesting_device                     |
      | a token without requesting_organization               |
      | an expired token                                      |
      | a token whose exp is iat + 600                        |
      | a token for another audience                          |
      | a token with the scope of another interaction         |
      | a token whose reason_for_request is not directcare    |
      | a token whose exp is iat + 299                        |
      | a token whose exp is iat + 301                        |
      | a token whose exp is before its iat                   |
      | a requesting_device that is not a Device              |
      | a requesting_device without an identifier             |
      | a requesting_organization that is not an Organization |
      | a requesting_organization without an ODS code         |
      | a requesting_practitioner that is not a Practitioner  |
      | a requesting_practitioner whose id is not sub         |
      | a requesting_practitioner without SDS identifiers     |

  @interaction:create_appointment @destructive
  Scenario Outline: A booking presenting <defect> is refused
    Given a free slot in the configured window
    When the consumer sends its create_appointment request presenting <defect>
    Then the provider refuses it with the configured token error status and an OperationOutcome

    Examples:
      | defect                                                |
      | no Authorization header                               |
      | a token that is not base64url                         |
      | a token without iss                                   |
      | a token without sub                                   |
      | a token without aud                                   |
      | a token without iat                                   |
      | a token without exp                                   |
      | a token without reason_for_request                    |
      | a token without requested_scope                       |
      | a token without requesting_device                     |
      | a token without requesting_organization               |
      | an expired token                                      |
      | a token whose exp is iat + 600                        |
      | a token for another audience                          |
      | a token with the scope of another interaction         |
      | a token whose reason_for_request is not directcare    |
      | a token whose exp is iat + 299                        |
      | a token whose exp is iat + 301                        |
      | a token whose exp is before its iat                   |
      | a requesting_device that is not a Device              |
      | a requesting_device without an identifier             |
      | a requesting_organization that is not an Organization |
      | a requesting_organization without an ODS code         |
      | a requesting_practitioner that is not a Practitioner  |
      | a requesting_practitioner whose id is not sub         |
      | a requesting_practitioner without SDS identifiers     |

  @interaction:search_appointment
  Scenario Outline: A patient appointment search presenting <defect> is refused
    When the consumer sends its search_appointment request presenting <defect>
    Then the provider refuses it with the configured token error status and an OperationOutcome

    Examples:
      | defect                                                |
      | no Authorization header                               |
      | a token that is not base64url                         |
      | a token without iss                                   |
      | a token without sub                                   |
      | a token without aud                                   |
      | a token without iat                                   |
      | a token without exp                                   |
      | a token without reason_for_request                    |
      | a token without requested_scope                       |
      | a token without requesting_device                     |
      | a token without requesting_organization               |
      | an expired token                                      |
      | a token whose exp is iat + 600                        |
      | a token for another audience                          |
      | a token whose reason_for_request is not directcare    |
      | a token whose exp is iat + 299                        |
      | a token whose exp is iat + 301                        |
      | a token whose exp is before its iat                   |
      | a requesting_device that is not a Device              |
      | a requesting_device without an identifier             |
      | a requesting_organization that is not an Organization |
      | a requesting_organization without an ODS code         |
      | a requesting_practitioner that is not a Practitioner  |
      | a requesting_practitioner whose id is not sub         |
      | a requesting_practitioner without SDS identifiers     |

  @interaction:search_appointment
  Scenario: A patient appointment search presenting the scope of another interaction is refused (advisory)
    When the consumer sends its search_appointment request presenting a token with the scope of another interaction
    Then the provider should refuse it with the configured token error status, the search's scope being unpublished

  @interaction:read_appointment @destructive
  Scenario Outline: An appointment read presenting <defect> is refused
    Given a slot the consumer has booked
    When the consumer sends its read_appointment request presenting <defect>
    Then the provider refuses it with the configured token error status and an OperationOutcome

    Examples:
      | defect                                                |
      | no Authorization header                               |
      | a token that is not base64url                         |
      | a token without iss                                   |
      | a token without sub                                   |
      | a token without aud                                   |
      | a token without iat                                   |
      | a token without exp                                   |
      | a token without reason_for_request                    |
      | a token without requested_scope                       |
      | a token without requesting_device                     |
      | a token without requesting_organization               |
      | an expired token                                      |
      | a token whose exp is iat + 600                        |
      | a token for another audience                          |
      | a token with the scope of another interaction         |
      | a token whose reason_for_request is not directcare    |
      | a token whose exp is iat + 299                        |
      | a token whose exp is iat + 301                        |
      | a token whose exp is before its iat                   |
      | a requesting_device that is not a Device              |
      | a requesting_device without an identifier             |
      | a requesting_organization that is not an Organization |
      | a requesting_organization without an ODS code         |
      | a requesting_practitioner that is not a Practitioner  |
      | a requesting_practitioner whose id is not sub         |
      | a requesting_practitioner without SDS identifiers     |

  @interaction:update_appointment @destructive
  Scenario Outline: A cancel presenting <defect> is refused
    Given a slot the consumer has booked
    When the consumer sends its update_appointment request presenting <defect>
    Then the provider refuses it with the configured token error status and an OperationOutcome

    Examples:
      | defect                                                |
      | no Authorization header                               |
      | a token that is not base64url                         |
      | a token without iss                                   |
      | a token without sub                                   |
      | a token without aud                                   |
      | a token without iat                                   |
      | a token without exp                                   |
      | a token without reason_for_request                    |
      | a token without requested_scope                       |
      | a token without requesting_device                     |
      | a token without requesting_organization               |
      | an expired token                                      |
      | a token whose exp is iat + 600                        |
      | a token for another audience                          |
      | a token with the scope of another interaction         |
      | a token whose reason_for_request is not directcare    |
      | a token whose exp is iat + 299                        |
      | a token whose exp is iat + 301                        |
      | a token whose exp is before its iat                   |
      | a requesting_device that is not a Device              |
      | a requesting_device without an identifier             |
      | a requesting_organization that is not an Organization |
      | a requesting_organization without an ODS code         |
      | a requesting_practitioner that is not a Practitioner  |
      | a requesting_practitioner whose id is not sub         |
      | a requesting_practitioner without SDS identifiers     |
