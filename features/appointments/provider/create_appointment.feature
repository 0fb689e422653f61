@interaction:create_appointment @destructive
Feature: create:appointment — booking a free slot
  The consumer POSTs a CareConnect Appointment (contained Patient and DocumentReference, one
  Slot reference, no id) to [base]/Appointment. Every appointment the suite books is cancelled
  when its scenario ends, so the suite can run again and again against a shared target.

  @req:APPT-CREATE-01 @req:HTTP-01 @req:VAL-01
  Scenario: Booking a free slot creates a versioned Appointment
    Given a free slot in the configured window
    When the consumer books the slot for the test patient
    Then the provider confirms the booking with 201, a versioned Location, an ETag and the stored Appointment
    And the response is served as FHIR JSON
    And the resource received is valid STU3 and meets its profile

  @req:APPT-CREATE-04
  Scenario: A booked slot is no longer offered as free
    Given a slot the consumer has booked
    When the consumer searches for free slots around the booked slot's start
    Then the provider answers with a searchset Bundle as SLOT-01 requires
    And the booked slot is no longer offered as free

  @req:APPT-CREATE-02 @req:ERR-01
  Scenario: Booking a slot that is no longer free is refused
    Given a slot the consumer has booked
    When the consumer books the same slot again
    Then the provider refuses it with the configured slot conflict status and an OperationOutcome
