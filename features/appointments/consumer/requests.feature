@destructive
@req:SSP-URL-01 @req:SSP-HDR-01 @req:SSP-HDR-02 @req:SSP-HDR-03 @req:SSP-HDR-04
@req:JWT-01 @req:JWT-02 @req:JWT-03 @req:JWT-04 @req:JWT-05 @req:JWT-06 @req:JWT-07 @req:CON-HTTP-01
Feature: What an appointments consumer sends through the SSP
  The consumer under test is pointed at a virtual SSP that records every request and forwards
  it to the provider, so the consumer gets real answers. Every request must be the SSP URL and
  the provider URL joined by exactly one '/', carry the four Ssp-* headers (a fresh trace ID each
  time) and an unsigned JWT with the UEC claims for its interaction, declare the resources it sends
  as FHIR media types in UTF-8 (and ask for a FHIR format when it sends Accept); and what it asked must be
  the request its interaction specifies, accepted by the provider, with the consumer reporting
  success.

  @interaction:search_slot
  @req:CON-SLOT-01
  Scenario: Searching for free slots
    When the consumer under test is asked to search for free slots
    Then it sent its requests to the SSP URL joined with exactly one '/' to the provider's
    And each request carried the four Ssp-* headers, with a fresh trace ID
    And each request carried a conformant JWT for its interaction
    And each request declared FHIR media types
    And its slot search was the specified one, the provider accepted it and the consumer reported success

  @interaction:create_appointment @req:CON-VAL-01 @req:CON-BOOK-01
  Scenario: Booking a free slot
    When the consumer under test is asked to book a free slot for the test patient
    Then it sent its requests to the SSP URL joined with exactly one '/' to the provider's
    And each request carried the four Ssp-* headers, with a fresh trace ID
    And each request carried a conformant JWT for its interaction
    And each request declared FHIR media types
    And every resource it sent was valid STU3 and met its profile
    And its booking was the specified one, the provider accepted it and the consumer reported success

  @interaction:search_appointment @req:CON-SEARCH-01
  Scenario: Listing the patient's appointments
    When the consumer under test is asked to list the test patient's appointments
    Then it sent its requests to the SSP URL joined with exactly one '/' to the provider's
    And each request carried the four Ssp-* headers, with a fresh trace ID
    And each request carried a conformant JWT for its interaction
    And each request declared FHIR media types
    And its patient search was the specified one, the provider accepted it and the consumer reported success

  @interaction:read_appointment @req:CON-READ-01
  Scenario: Reading an appointment
    Given an appointment the harness booked for the test patient
    When the consumer under test reads that appointment
    Then it sent its requests to the SSP URL joined with exactly one '/' to the provider's
    And each request carried the four Ssp-* headers, with a fresh trace ID
    And each request carried a conformant JWT for its interaction
    And each request declared FHIR media types
    And its read was the specified one, the provider accepted it and the consumer reported success

  @interaction:update_appointment @req:CON-CONC-01 @req:CON-VAL-01 @req:CON-CANCEL-01
  Scenario: Cancelling an appointment with If-Match from the ETag it read
    Given an appointment the harness booked for the test patient
    When the consumer under test cancels that appointment
    Then it sent its requests to the SSP URL joined with exactly one '/' to the provider's
    And each request carried the four Ssp-* headers, with a fresh trace ID
    And each request carried a conformant JWT for its interaction
    And each request declared FHIR media types
    And its update carried If-Match with the ETag it had read
    And every resource it sent was valid STU3 and met its profile
    And its cancellation was the specified one, the provider accepted it and the consumer reported success
