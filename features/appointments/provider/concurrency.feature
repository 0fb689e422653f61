@concurrency @destructive
Feature: Concurrency — optimistic locking under real parallel requests
  Several requests are released at the same instant from separate threads over separate
  connections; the provider must let exactly one win.

  @req:CONC-03 @interaction:update_appointment
  Scenario: Racing cancellations of one version: exactly one succeeds and no update is lost
    Given a slot the consumer has booked
    When the consumer reads the appointment
    Then the provider returns the appointment and its version
    When 8 consumers cancel it at the same time with the same If-Match
    Then exactly one cancellation succeeds and the others are refused with 409
    And the appointment moved on by exactly one version

  @req:CONC-04 @interaction:create_appointment
  Scenario: Racing bookings of one slot: exactly one is created
    Given a free slot in the configured window
    When 8 consumers book it at the same time
    Then exactly one booking succeeds and the others are refused with the configured slot conflict status
