@interaction:search_slot
Feature: search:slot — variants of the query, answered as the Booking edition says
  The search parameters "MAY be passed" (seed) and servers "must cater for parameters not being
  present" (2.x); other statuses and unsupported query parts are answered as the edition the target
  follows says ([spec] edition): the seed pages refuse anything unsupported with 400, the 2.x pages
  ignore unknown parameters, leave out unsupported includes and support every status.

  @req:SLOT-05
  Scenario Outline: A slot search that leaves out <part> is still answered
    Given a free slot in the configured window
    When the consumer searches for free slots leaving out <part>
    Then the provider answers with a searchset Bundle as SLOT-05 requires
    And the free slot is among the slots returned, as SLOT-05 requires
    And it includes what was asked for, as SLOT-05 requires

    Examples:
      | part                            |
      | status                          |
      | the start bounds                |
      | the _include parameters         |
      | some of the _include parameters |

  @req:SLOT-06 @destructive
  Scenario Outline: A search for <statuses> slots returns slots of those statuses only
    Given a slot the consumer has booked
    When the consumer searches around the booked slot for <statuses> slots
    Then the provider answers the status search as the Booking edition says, as SLOT-06 requires

    Examples:
      | statuses  |
      | busy      |
      | free,busy |

  @req:SLOT-07
  Scenario Outline: A slot search with <part> is answered as the Booking edition says
    When the consumer searches for free slots with <part>
    Then the provider answers <part> as the Booking edition says, as SLOT-07 requires

    Examples:
      | part                               |
      | an unknown search parameter        |
      | a _revinclude                      |
      | an unsupported _include            |
      | a start without a time             |
      | a start without a time-zone offset |

  @req:SLOT-04 @req:ERR-01
  Scenario Outline: A slot search with <defect> is refused with 400 in either edition
    When the consumer searches for free slots with <defect>
    Then the request is refused with 400 and an OperationOutcome as SLOT-04 requires

    Examples:
      | defect                         |
      | a start with an unknown prefix |

  @req:SLOT-01
  Scenario: A service with no free slots is answered with an empty searchset
    When the consumer searches for free slots of the service that has none
    Then the provider answers with a searchset Bundle as SLOT-01 requires
    And it holds no Slot, as SLOT-01 requires
