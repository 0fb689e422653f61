@destructive
Feature: What a booking and a cancel answer with keeps what was sent, and a cancel changes nothing else
  The 201 of a booking "MUST include the created Appointment" and the 200 of a cancel "MUST include the
  updated Appointment" (BK-seed): what the consumer sent is there as sent. A cancel that changes any
  other element is refused with 422 ("No other elements of the Appointment resource may be changed").

  @req:APPT-CREATE-05 @interaction:create_appointment
  Scenario: The created Appointment keeps what was booked
    Given a free slot in the configured window
    When the consumer books the slot for the test patient
    Then the created Appointment returned keeps what was sent, as APPT-CREATE-05 requires

  @req:APPT-CANCEL-04 @interaction:update_appointment
  Scenario: The cancelled Appointment keeps everything but its status
    Given a slot the consumer has booked
    When the consumer reads the appointment
    Then the provider returns the appointment and its version
    When the consumer cancels it with If-Match from the ETag it read
    Then the cancelled Appointment returned keeps what was sent, as APPT-CANCEL-04 requires

  @req:APPT-CANCEL-02 @req:ERR-01 @interaction:update_appointment
  Scenario Outline: A cancellation that also changes <element> is refused as the sources pin it
    Given a slot the consumer has booked
    When the consumer reads the appointment
    Then the provider returns the appointment and its version
    When the consumer cancels it with If-Match, changing <element>
    Then the cancellation is refused as APPT-CANCEL-02 pins it for <element>

    Examples:
      | element                      |
      | the contained Patient's name |
      | the comment                  |
      | the appointment type         |
      | an added participant         |
      | a removed participant        |
      | the slot reference           |
      | the patient reference        |
