@interaction:exemption_search
Feature: RTEC search — exemption found, not found, properties in any order
  The client POSTs {dob, nhsNumber, postcode, surname, prescriptionId} as JSON with a flat
  bearer JWT and Ssp-From; the service answers {message, type} with standard status codes.

  @req:RTEC-RES-01
  Scenario: An exempt patient's exemption is found
    When the client checks the exemption of the configured exempt patient
    Then the service answers 200 with a message and an exemption type

  @req:RTEC-RES-02
  Scenario: A patient without an exemption is not found
    When the client checks the exemption of the configured patient who has none
    Then the service answers 404 with a message and a null type

  @req:RTEC-RES-01
  Scenario: The order of the request's properties does not matter
    When the client checks the exempt patient, its fields in another order
    Then the service answers 200 with a message and an exemption type
