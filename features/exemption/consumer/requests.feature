@interaction:exemption_search @req:RTEC-REQ-01 @req:RTEC-REQ-02 @req:RTEC-REQ-03 @req:RTEC-REQ-04 @req:RTEC-REQ-05
Feature: What an exemption-checking client sends
  The consumer under test is pointed at a virtual RTEC service that records every request.
  A check is a JSON POST of exactly dob, nhsNumber, postcode, surname and prescriptionId, well
  formed, with a flat-claims bearer JWT (typ JWT: advisory) naming the user's organisation, and
  the client's ASID in Ssp-From.

  Scenario: Checking the exemption of an adult patient
    Given the exemption service answers with the exemption found
    When the consumer under test checks the exemption of an adult patient
    Then its request was a JSON POST of the five fields, well formed, with the flat token and its ASID in Ssp-From
    And its token named the configured organisation as requesting_organization
