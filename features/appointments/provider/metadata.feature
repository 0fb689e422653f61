@interaction:read_metadata
Feature: read:metadata — the provider's CapabilityStatement
  A consumer reads GET [base]/metadata through the SSP, with the four Ssp-* headers and a JWT,
  to learn which FHIR version and interactions the provider supports.

  @req:META-01 @req:HTTP-01 @req:VAL-01
  Scenario: The CapabilityStatement declares FHIR STU3 and the booking interactions
    When the consumer reads the provider's CapabilityStatement
    Then the provider answers with a CapabilityStatement declaring STU3 and the booking interactions
    And the response is served as FHIR JSON
    And the resource received is valid STU3 and meets its profile
