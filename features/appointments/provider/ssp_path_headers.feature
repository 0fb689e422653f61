@req:SSP-HDR-06 @matrix
Feature: Ssp-* headers through the SSP — the path refuses what the SSP must refuse
  Sent through the configured SSP, a request with a missing or malformed Ssp-* header is the SSP's
  to refuse (400 MISSING_OR_INVALID_HEADER), and one whose Ssp-To or interaction ID the SSP does not
  authorise is a 403 forbidden (Spine-core error handling). What is judged is the SSP's answer, so it
  is shown and never charged to the provider; with no [provider] ssp_url there is no SSP to judge.

  @interaction:read_metadata
  Scenario Outline: A CapabilityStatement read through the SSP with <defect> is refused by the SSP
    When the consumer sends its read_metadata request through the SSP with <defect>
    Then the SSP refuses it as SSP-HDR-06 expects for <defect>

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
  Scenario Outline: A slot search through the SSP with <defect> is refused by the SSP
    When the consumer sends its search_slot request through the SSP with <defect>
    Then the SSP refuses it as SSP-HDR-06 expects for <defect>

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
  Scenario Outline: A booking through the SSP with <defect> is refused by the SSP
    Given a free slot in the configured window
    When the consumer sends its create_appointment request through the SSP with <defect>
    Then the SSP refuses it as SSP-HDR-06 expects for <defect>

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
  Scenario Outline: A patient appointment search through the SSP with <defect> is refused by the SSP
    When the consumer sends its search_appointment request through the SSP with <defect>
    Then the SSP refuses it as SSP-HDR-06 expects for <defect>

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
  Scenario Outline: An appointment read through the SSP with <defect> is refused by the SSP
    Given a slot the consumer has booked
    When the consumer sends its read_appointment request through the SSP with <defect>
    Then the SSP refuses it as SSP-HDR-06 expects for <defect>

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
  Scenario Outline: A cancel through the SSP with <defect> is refused by the SSP
    Given a slot the consumer has booked
    When the consumer sends its update_appointment request through the SSP with <defect>
    Then the SSP refuses it as SSP-HDR-06 expects for <defect>

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
