@interaction:exemption_search
Feature: What an exemption-checking client puts in its token and its request
  The organisation in the token is the one the user works for, given by its ODS code, also when the
  user is a locum whose role is registered with the national locum organisation FFFFF (RTEC
  cross-organisation audit and provenance; PEC-FR-14). The surname and postcode are those of the
  patient's usual name and address, as the record has them, punctuation included (RTEC Requests).

  @req:RTEC-REQ-05
  Scenario: A locum pharmacist's check names the organisation they work for, never FFFFF
    Given the exemption service answers with the exemption found
    When the consumer under test is asked to check an adult's exemption in the state locum-user
    Then its token named the configured organisation as requesting_organization

  @req:RTEC-REQ-06
  Scenario: The surname and postcode are sent as the patient's record has them
    Given the exemption service answers with the exemption found
    When the consumer under test checks the exemption of a patient whose surname has an apostrophe and a hyphen
    Then its request carried the surname and postcode as the patient's record has them
