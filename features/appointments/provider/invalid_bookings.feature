@interaction:create_appointment @destructive
Feature: create:appointment — an invalid booking is refused with the status its source names
  BK-seed book_an_appointment.md: a body failing validation against the profiles is a 422, a body
  that is "simply invalid" a 400. A defect the profile or the Booking pages state on well-formed FHIR
  is a 422; one that also breaks FHIR STU3 itself may be either (FHIR's create: 400); an invalid NHS
  number is a 422 (UEC er_overview); an id sent on create is refused (422) or ignored (FHIR: 201 with
  the provider's own id). Each finding names the sentence that pins the status.

  @req:APPT-CREATE-03 @req:ERR-01
  Scenario Outline: A booking with <defect> is refused as the sources pin it
    Given a free slot in the configured window
    When the consumer books the slot with an Appointment that has <defect>
    Then the booking is refused as APPT-CREATE-03 pins it for <defect>

    Examples:
      | defect                                          |
      | no start                                        |
      | no end                                          |
      | no status                                       |
      | no slot                                         |
      | no participant                                  |
      | a participant without status                    |
      | an NHS number identifier without a value        |
      | an unknown element                              |
      | a wrong resourceType                            |
      | a malformed slot reference                      |
      | a slot reference to another server              |
      | an id set on create                             |
      | an NHS number that fails its check digit        |
      | status proposed instead of booked               |
      | a reference to a slot that does not exist       |
      | a body that is not JSON                         |
      | a Patient without gender                        |
      | a Patient without an address                    |
      | two contained Patients                          |
      | a document whose contentType is not a mime type |

  @req:APPT-CREATE-03 @req:ERR-01 @edition:1
  Scenario: A booking whose Patient has no NHS number is refused, as the seed pages require one
    Given a free slot in the configured window
    When the consumer books the slot with an Appointment that has a Patient without an NHS number
    Then the booking is refused as APPT-CREATE-03 pins it for a Patient without an NHS number
