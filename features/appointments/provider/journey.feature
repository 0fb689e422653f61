@journey @destructive
Feature: The booking journey, end to end
  Search free slots, book one, see it is no longer offered, read it, find it by patient,
  cancel it with If-Match, read the old version, and see the slot is free again.

  @req:APPT-CREATE-01 @req:APPT-CREATE-04 @req:APPT-READ-01 @req:APPT-SEARCH-01
  @req:APPT-CANCEL-01 @req:APPT-READ-03 @req:APPT-CANCEL-03
  Scenario: A slot is booked, found, cancelled and offered again
    Given a free slot in the configured window
    When the consumer books the slot for the test patient
    Then the provider confirms the booking with 201, a versioned Location, an ETag and the stored Appointment
    When the consumer searches for free slots around the booked slot's start
    Then the provider answers with a searchset Bundle as SLOT-01 requires
    And the booked slot is no longer offered as free
    When the consumer reads the appointment
    Then the provider returns the appointment with meta.versionId and a matching weak ETag
    When the consumer searches for the test patient's appointments
    Then the provider answers with a searchset Bundle as APPT-SEARCH-01 requires
    And the booked appointment is in it with a fullUrl naming its version
    When the consumer reads the appointment
    Then the provider returns the appointment with meta.versionId and a matching weak ETag
    When the consumer cancels it with If-Match from the ETag it read
    Then the provider confirms the cancellation with 200, a new version, an ETag and Last-Modified
    When the consumer reads the version it booked
    Then it is the version it booked, unchanged
    When the consumer searches for free slots around the booked slot's start
    Then the provider answers with a searchset Bundle as SLOT-01 requires
    And the booked slot is offered as free again
