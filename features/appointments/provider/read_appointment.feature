@interaction:read_appointment @destructive
Feature: read:appointment — reading an appointment and its earlier versions
  GET [base]/Appointment/[id] returns the current version with meta.versionId and a weak ETag;
  GET [base]/Appointment/[id]/_history/[vid] returns any earlier version, which providers MUST keep.

  @req:APPT-READ-01 @req:HTTP-01 @req:VAL-01
  Scenario: Reading a booked appointment returns it with its version and a matching ETag
    Given a slot the consumer has booked
    When the consumer reads the appointment
    Then the provider returns the appointment with meta.versionId and a matching weak ETag
    And the response is served as FHIR JSON
    And the resource received is valid STU3 and meets its profile

  @req:APPT-READ-02 @req:ERR-01
  Scenario: Reading an appointment that does not exist is refused with 404
    When the consumer reads an appointment id the provider never issued
    Then the request is refused with 404 and an OperationOutcome as APPT-READ-02 requires

  @req:APPT-READ-03
  Scenario: The version before a cancellation stays readable
    Given an appointment the consumer has booked and then cancelled
    When the consumer reads the first version of the appointment
    Then it is the first version as booked
