@interaction:read_metadata @req:SSP-HDR-05 @req:ERR-01
Feature: Ssp-* headers — the provider refuses requests without valid SSP headers
  Spine-core: a missing or invalid Ssp-* header is a 400 with an OperationOutcome coded
  MISSING_OR_INVALID_HEADER. These requests go straight to the provider: an SSP in the path
  would answer them itself, and it is the provider's own checks that are under test.

  Scenario Outline: A request with <defect> is refused with 400
    When the consumer reads the CapabilityStatement directly from the provider with <defect>
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
  Scenario Outline: A slot search with <defect> is refused with 400 too
    When the consumer searches for free slots directly at the provider with <defect>
    Then the request is refused with 400 and an OperationOutcome as SSP-HDR-05 requires

    Examples:
      | defect                                    |
      | no Ssp-From header                        |
      | the interaction ID of another interaction |
