@interaction:search_appointment
Feature: search:appointment — a patient with none, with several, and queries the provider cannot answer
  Providers "MUST include the (Zero to Many) Appointment resources which meet the requested criteria"
  and "MUST NOT implement paging" (BK-seed search_patient_appointments.md); invalid or unsupported
  query parameters "SHOULD" be a 400 (both editions; UEC er_overview for "Get a booking").

  @req:APPT-SEARCH-02
  Scenario: A patient without appointments gets an empty searchset
    When the consumer searches for the appointments of a patient who has none
    Then the provider answers with a searchset Bundle as APPT-SEARCH-02 requires
    And it holds no Appointment, as APPT-SEARCH-02 requires

  @req:APPT-SEARCH-02 @destructive
  Scenario: All of a patient's appointments are returned together
    Given two slots the consumer has booked
    When the consumer searches for the test patient's appointments
    Then the provider answers with a searchset Bundle as APPT-SEARCH-02 requires
    And both booked appointments are in it, as APPT-SEARCH-02 requires

  @req:APPT-SEARCH-03 @req:ERR-01
  Scenario Outline: A patient appointment search with <defect> is refused with 400
    When the consumer searches for the test patient's appointments with <defect>
    Then the request is refused with 400 and an OperationOutcome as APPT-SEARCH-03 requires

    Examples:
      | defect                                   |
      | an NHS number that fails its check digit |
      | an unknown search parameter              |
