@interaction:update_appointment @destructive
Feature: update:appointment — cancelling with a version-aware update
  The consumer GETs the appointment, then PUTs it back with status cancelled and
  If-Match: W/"<versionId>" from the ETag it read. Nothing else may change.

  @req:APPT-CANCEL-01 @req:HTTP-01 @req:VAL-01
  Scenario: Cancelling with If-Match creates a new version
    Given a slot the consumer has booked
    When the consumer reads the appointment
    Then the provider returns the appointment and its version
    When the consumer cancels it with If-Match from the ETag it read
    Then the provider confirms the cancellation with 200, a new version, an ETag and Last-Modified
    And the response is served as FHIR JSON
    And the resource received is valid STU3 and meets its profile

  @req:APPT-CANCEL-03
  Scenario: A cancelled appointment's slot is free again
    Given an appointment the consumer has booked and then cancelled
    When the consumer searches for free slots around the cancelled appointment's slot
    Then the provider answers with a searchset Bundle as SLOT-01 requires
    And the cancelled appointment's slot is offered as free again

  @req:APPT-CANCEL-02 @req:ERR-01
  Scenario Outline: A cancellation that also changes <element> is refused with 422
    Given a slot the consumer has booked
    When the consumer reads the appointment
    Then the provider returns the appointment and its version
    When the consumer cancels it with If-Match but also changes <element>
    Then the request is refused with 422 and an OperationOutcome as APPT-CANCEL-02 requires

    Examples:
      | element                 |
      | the description         |
      | the start and end       |
      | the patient participant |

  @req:CONC-01 @req:ERR-01
  Scenario: An update whose If-Match is not the current version is refused with 409
    Given a slot the consumer has booked
    When the consumer reads the appointment
    Then the provider returns the appointment and its version
    When the consumer cancels it with If-Match naming a version it does not have
    Then the request is refused with 409 and an OperationOutcome as CONC-01 requires

  @req:CONC-02 @req:ERR-01
  Scenario: An update without If-Match is refused with 412
    Given a slot the consumer has booked
    When the consumer reads the appointment
    Then the provider returns the appointment and its version
    When the consumer cancels it without If-Match
    Then the request is refused with 412 and an OperationOutcome as CONC-02 requires
