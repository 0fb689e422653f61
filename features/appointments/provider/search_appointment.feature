@interaction:search_appointment @destructive
Feature: search:appointment — a patient's appointments
  GET [base]/Appointment?Appointment.participant.actor:Patient.identifier=https://fhir.nhs.uk/Id/nhs-number|[NHS number]

  @req:APPT-SEARCH-01 @req:HTTP-01 @req:VAL-01
  Scenario: The patient's booked appointment is found, with a fullUrl naming its version
    Given a slot the consumer has booked
    When the consumer searches for the test patient's appointments
    Then the provider answers with a searchset Bundle as APPT-SEARCH-01 requires
    And the booked appointment is in it with a fullUrl naming its version
    And the response is served as FHIR JSON
    And the resource received is valid STU3 and meets its profile
