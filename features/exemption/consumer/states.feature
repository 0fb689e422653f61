@interaction:exemption_search
Feature: When an exemption-checking client must not check, and when it must
  RTEC Client Functional Requirements v1.0 and the RTEC acceptance criteria. Each scenario puts
  the consumer under test into a state before it acts: the action receives it as {state} and
  {state_description} (in the http hook's payload under "state", in the words shown to a tester).
  A consumer that cannot be put into a state lists it in consumer_under_test.unsupported_states,
  and that scenario is not tested. "No request" is judged by what reached the virtual RTEC service,
  once an ordinary adult's check in the same session has shown the consumer's checks reach it.

  @req:RTEC-CLI-04
  Scenario Outline: No check by a user without the right to check (<state>)
    Given the exemption service answers with the exemption found
    When the consumer under test is asked to check an adult's exemption in the state <state>
    Then it sent no request to the exemption service for that prescription

    Examples:
      | state                  |
      | user-without-b0570     |
      | user-not-authenticated |

  @req:RTEC-CLI-05
  Scenario: No check for a prisoner on release
    Given the exemption service answers with the exemption found
    When the consumer under test is asked to check an adult's exemption in the state prisoner-on-release
    Then it sent no request to the exemption service for that prescription

  @req:RTEC-CLI-06
  Scenario Outline: No check for items free of charge by what they are (<state>)
    Given the exemption service answers with the exemption found
    When the consumer under test is asked to check an adult's exemption in the state <state>
    Then it sent no request to the exemption service for that prescription

    Examples:
      | state                     |
      | contraceptive-item        |
      | sexual-health-endorsement |

  @req:RTEC-CLI-07
  Scenario: No check for an EPS Release 1 prescription
    Given the exemption service answers with the exemption found
    When the consumer under test is asked to check an adult's exemption in the state eps-release-1
    Then it sent no request to the exemption service for that prescription

  @req:RTEC-CLI-08
  Scenario Outline: No check for a patient whose record does not allow it (<state>)
    Given the exemption service answers with the exemption found
    When the consumer under test is asked to check an adult's exemption in the state <state>
    Then it sent no request to the exemption service for that prescription

    Examples:
      | state                       |
      | patient-not-synchronised    |
      | patient-formally-deceased   |
      | patient-informally-deceased |
      | patient-sensitive           |

  @req:RTEC-CLI-09
  Scenario: With automatic checking switched on, dispensing checks without being asked
    Given the exemption service answers with the exemption found
    When the consumer under test is asked to check an adult's exemption in the state automatic-checking-on
    Then it checked that prescription without being asked to

  @req:RTEC-CLI-09
  Scenario: With automatic checking switched off, dispensing alone does not check
    Given the exemption service answers with the exemption found
    When the consumer under test is asked to check an adult's exemption in the state automatic-checking-off
    Then it sent no request to the exemption service for that prescription

  @req:RTEC-CLI-10 @req:RTEC-REQ-03
  Scenario: A patient's second prescription gets a check of its own, with a new token
    Given the exemption service answers with the exemption found
    When the consumer under test checks two prescriptions of the same adult patient
    Then it sent a request for the second prescription, with that prescription's id
    And each request carried a token minted for it

  @req:RTEC-CLI-11
  Scenario: Amending the claim of a checked prescription does not check it again
    Given the exemption service answers with the exemption found
    And the consumer under test checked an adult's prescription when dispensing it
    When the consumer under test amends that prescription's claim
    Then it sent no request to the exemption service for that prescription

  @req:RTEC-CLI-12
  Scenario: Demographics holding non-ASCII characters are not sent
    Given the exemption service answers with the exemption found
    When the consumer under test is asked to check an adult's exemption in the state non-ascii-demographics
    Then it sent no request to the exemption service for that prescription
