@edition:2 @destructive
Feature: The Booking 2.x edition — what a provider following the 2.x pages also does
  Run only against a target whose [spec] edition is "2". The booking carries its Slot contained
  and referenced "#<id>", the Patient may come without an NHS number and ranks its telephone
  numbers, and every booking and cancel carries an X-Request-ID: a reused one is a 409 (UEC
  er_overview), the answer echoes it (X-Correlation-ID, SHOULD), and a missing one is refused
  only by the TKW pack's simulator (advisory). With the tkw profile selected, the pack's own
  provider tests also apply: X-Correlation-ID always echoes X-Request-ID, and badly ranked
  telecoms are refused with 400.

  @req:APPT-CREATE-06 @interaction:create_appointment
  Scenario: A booking carrying its Slot contained is accepted and books that slot
    Given a free slot in the configured window
    When the consumer books the slot with its Slot contained
    Then the provider accepts the booking as APPT-CREATE-06 requires
    When the consumer searches for free slots around the booked slot's start
    Then the provider answers with a searchset Bundle as SLOT-01 requires
    And the booked slot is no longer offered as free, as APPT-CREATE-06 requires

  @req:APPT-CREATE-07 @interaction:create_appointment
  Scenario: A booking whose Patient has no NHS number is accepted
    Given a free slot in the configured window
    When the consumer books the slot with an Appointment that has a Patient without an NHS number
    Then the provider accepts the booking as APPT-CREATE-07 requires

  @req:APPT-CREATE-08 @req:ERR-01 @interaction:create_appointment
  Scenario Outline: A booking whose Patient has <ranks> is refused
    Given a free slot in the configured window
    When the consumer books the slot with an Appointment that has <ranks>
    Then the booking is refused as APPT-CREATE-08 pins it for <ranks>

    Examples:
      | ranks               |
      | two rank-1 telecoms |
      | no rank-1 telecom   |

  @req:XREQ-01 @req:ERR-01 @interaction:create_appointment
  Scenario: A booking whose X-Request-ID was used before is refused with 409
    Given a slot the consumer has booked with a known X-Request-ID
    When the consumer books another free slot with the same X-Request-ID
    Then the request is refused with 409 and an OperationOutcome as XREQ-01 requires

  @req:XREQ-01 @req:ERR-01 @interaction:update_appointment
  Scenario: A cancel whose X-Request-ID was used before is refused with 409
    Given two slots the consumer has booked
    When the consumer cancels both with one X-Request-ID
    Then the request is refused with 409 and an OperationOutcome as XREQ-01 requires

  @req:XREQ-02 @interaction:create_appointment
  Scenario: The answer to a booking carries the request ids
    Given a free slot in the configured window
    When the consumer books the slot for the test patient
    Then the answer carries an X-Request-ID and the request's X-Correlation-ID, as XREQ-02 requires

  @req:XREQ-02 @interaction:update_appointment
  Scenario: The answer to a cancel carries the request ids
    Given a slot the consumer has booked
    When the consumer reads the appointment
    Then the provider returns the appointment and its version
    When the consumer cancels it with If-Match from the ETag it read
    Then the answer carries an X-Request-ID and the request's X-Correlation-ID, as XREQ-02 requires

  @req:XREQ-03 @req:ERR-01 @interaction:create_appointment
  Scenario: A booking without an X-Request-ID is refused with 400
    Given a free slot in the configured window
    When the consumer sends its create_appointment request without an X-Request-ID
    Then the request is refused with 400 and an OperationOutcome as XREQ-03 requires

  @req:XREQ-03 @req:ERR-01 @interaction:update_appointment
  Scenario: A cancel without an X-Request-ID is refused with 400
    Given a slot the consumer has booked
    When the consumer sends its update_appointment request without an X-Request-ID
    Then the request is refused with 400 and an OperationOutcome as XREQ-03 requires

  @req:TKW-CORR-01 @interaction:create_appointment
  Scenario: The TKW pack: the answer to a booking echoes its X-Request-ID as X-Correlation-ID
    Given the tkw assurance profile is selected
    And a free slot in the configured window
    When the consumer books the slot for the test patient
    Then the answer's X-Correlation-ID is the request's X-Request-ID, as TKW-CORR-01 requires

  @req:TKW-CORR-01 @interaction:update_appointment
  Scenario: The TKW pack: the answer to a cancel echoes its X-Request-ID as X-Correlation-ID
    Given the tkw assurance profile is selected
    And a slot the consumer has booked
    When the consumer reads the appointment
    Then the provider returns the appointment and its version
    When the consumer cancels it with If-Match from the ETag it read
    Then the answer's X-Correlation-ID is the request's X-Request-ID, as TKW-CORR-01 requires

  @req:TKW-RANK-01 @req:ERR-01 @interaction:create_appointment
  Scenario Outline: The TKW pack: a booking whose Patient has <ranks> is refused with 400
    Given the tkw assurance profile is selected
    And a free slot in the configured window
    When the consumer books the slot with an Appointment that has <ranks>
    Then the request is refused with 400 and an OperationOutcome as TKW-RANK-01 requires

    Examples:
      | ranks               |
      | two rank-1 telecoms |
      | no rank-1 telecom   |
