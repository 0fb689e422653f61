@interaction:search_slot
Feature: search:slot — free slots for a service
  The consumer asks GET [base]/Slot for the configured service's free slots starting within the
  next provider.slot_window_days days, with the six _include parameters providers MUST support.

  @req:SLOT-01 @req:HTTP-01 @req:VAL-01
  Scenario: Free slots come back as a searchset Bundle of valid resources
    When the consumer searches for free slots in the configured window
    Then the provider answers with a searchset Bundle as SLOT-01 requires
    And the response is served as FHIR JSON
    And the resource received is valid STU3 and meets its profile

  @req:SLOT-02
  Scenario: Only free slots starting inside the window are returned
    When the consumer searches for free slots in the configured window
    Then the provider answers with a searchset Bundle as SLOT-01 requires
    And every slot returned is free and starts inside the window

  @req:SLOT-03
  Scenario: Every requested _include is present once and related to the returned slots
    When the consumer searches for free slots in the configured window
    Then the provider answers with a searchset Bundle as SLOT-01 requires
    And the included resources are exactly those related to the returned slots, once each

  @req:SLOT-04 @req:ERR-01
  Scenario Outline: A slot search with <defect> is refused with 400
    When the consumer searches for slots with <defect>
    Then the request is refused with 400 and an OperationOutcome as SLOT-04 requires

    Examples:
      | defect                            |
      | a status that is not free or busy |
      | a start that is not a date        |
      | no service parameter              |
