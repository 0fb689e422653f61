@req:VAL-02
Feature: $validate — the validation endpoint
  Resources are POSTed to [validate.base_url]/[ResourceType]/$validate, as the Booking
  overview describes for the CCRI endpoint; the answer is an OperationOutcome.

  Scenario: A valid booking Appointment is accepted
    When the consumer posts a valid booking Appointment to the $validate endpoint
    Then the endpoint answers with an OperationOutcome without errors

  Scenario: An Appointment with an invalid status code is rejected
    When the consumer posts an Appointment with an invalid status code to the $validate endpoint
    Then the endpoint answers with an OperationOutcome that reports the error
