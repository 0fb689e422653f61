@req:SSP-HDR-05 @req:ERR-01 @matrix
Feature: Ssp-* headers — every interaction refuses requests without valid SSP headers
  Spine-core: a missing or invalid Ssp-* header is a 400 with an OperationOutcome coded
  MISSING_OR_INVALID_HEADER. These requests go straight to the provider: an SSP in the path
  would answer them itself (ssp_path_headers.feature), and it is the provider's own checks that
  are under test. No Booking or UEC page says how a provider answers them, so this is advisory.

  @interaction:read_metadata
  Scenario Outline: A CapabilityStatement read with <defect> is refused with 400
    When the consumer sends its read_metadata request directly to the provider with <defect>
    Then the request is refused with 400 and an OperationOutcome as SSP-HDR-05 requires

    Examples:
      | defect                                    |
      | no Ssp-TraceID header                     |
      | an Ssp-TraceID that is not a UUID         |
      | no Ssp-From header                        |
      | an Ssp-From that is not an ASID           |
      | no Ssp-To header                          |
      | an Ssp-To that is not the provider's ASID |
      | no Ssp-InteractionID header               |
      | the interaction ID of another interaction |

  @interaction:search_slot
  Scenario Outline: A slot search with <defect> is refused with 400
    When the consumer sends its search_slot request directly to the provider with <defect>
    Then the request is refused with 400 and an OperationOutcome as SSP-HDR-05 requires

    Examples:
      | defect                                    |
      | no Ssp-TraceID header                     |
      | an Ssp-TraceID that is not a UUID         |
      | no Ssp-From header                        |
      | an Ssp-From that is not an ASID           |
      | no Ssp-To header                          |
      | an Ssp-To that is not the provider's ASID |
      | no Ssp-InteractionID header               |
      | the interaction ID of another interaction |

  @interaction:create_appointment @destructive
  Scenario Outline: A booking with <defect> is refused with 400
    Given a free slot in the configured window
    When the consumer sends its create_appointment request directly to the provider with <defect>
    Then the request is refused with 400 and an OperationOutcome as SSP-HDR-05 requires

    Examples:
      | defect                                    |
      | no Ssp-TraceID header                     |
      | an Ssp-TraceID that is not a UUID         |
      | no Ssp-From header                        |
      | an Ssp-From that is not an ASID           |
      | no Ssp-To header                          |
      | an Ssp-To that is not the provider's ASID |
      | no Ssp-InteractionID header               |
      | the interaction ID of another interaction |

  @interaction:search_appointment
  Scenario Outline: A patient appointment search with <defect> is refused with 400
    When the consumer sends its search_appointment request directly to the provider with <defect>
    Then the request is refused with 400 and an OperationOutcome as SSP-HDR-05 requires

    Examples:
      | defect                                    |
      | no Ssp-TraceID header                     |
      | an Ssp-TraceID that is not a UUID         |
      | no Ssp-From header                        |
      | an Ssp-From that is not an ASID           |
      | no Ssp-To header                          |
      | an Ssp-To that is not the provider's ASID |
      | no Ssp-InteractionID header               |
      | the interaction ID of another interaction |

  @interaction:read_appointment @destructive
  Scenario Outline: An appointment read with <defect> is refused with 400
    Given a slot the consumer has booked
    When the consumer sends its read_appointment request directly to the provider with <defect>
    Then the request is refused with 400 and an OperationOutcome as SSP-HDR-05 requires

    Examples:
      | defect                                    |
      | no Ssp-TraceID header                     |
      | an Ssp-TraceID that is not a UUID         |
      | no Ssp-From header                        |
      | an Ssp-From that is not an ASID           |
      | no Ssp-To header                          |
      | an Ssp-To that is not the provider's ASID |
      | no Ssp-InteractionID header               |
      | the interaction ID of another interaction |

  @interaction:update_appointment @destructive
  Scenario Outline: A cancel with <defect> is refused with 400
    Given a slot the consumer has booked
    When the consumer sends its update_appointment request directly to the provider with <defect>
    Then the request is refused with 400 and an OperationOutcome as SSP-HDR-05 requires

    Examples:
      | defect                                    |
      | no Ssp-TraceID header                     |
      | an Ssp-TraceID that is not a UUID         |
      | no Ssp-From header                        |
      | an Ssp-From that is not an ASID           |
      | no Ssp-To header                          |
      | an Ssp-To that is not the provider's ASID |
      | no Ssp-InteractionID header               |
      | the interaction ID of another interaction |
