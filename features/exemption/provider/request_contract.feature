@interaction:exemption_search
Feature: RTEC request contract — the service enforces the five fields and their formats
  A service that answers a request missing a field (RTEC-REQ-01) or with a malformed field
  (RTEC-REQ-02) does not enforce the contract; when it refuses, the 400 must name the field
  (RTEC-RES-03: "Please provide a valid {field}").

  @req:RTEC-REQ-01 @req:RTEC-RES-03
  Scenario Outline: A request without <field> is refused naming it
    When the client checks the exempt patient without the <field> field
    Then the service refuses it with 400 naming the missing <field>

    Examples:
      | field          |
      | dob            |
      | nhsNumber      |
      | postcode       |
      | surname        |
      | prescriptionId |

  @req:RTEC-REQ-02 @req:RTEC-RES-03
  Scenario Outline: A request with <defect> is refused naming the field
    When the client checks the exempt patient with <defect>
    Then the service refuses it with 400 naming the field that has <defect>

    Examples:
      | defect                                         |
      | a dob that is not a date                       |
      | a dob in the future                            |
      | an NHS number with a wrong check digit         |
      | an NHS number of nine digits                   |
      | a postcode that is not a UK postcode           |
      | an empty surname                               |
      | a surname that is not ASCII                    |
      | a prescription id with a wrong check character |
      | a prescription id of the wrong shape           |

  @req:RTEC-REQ-01
  Scenario: An unknown extra field is refused by name or ignored
    When the client checks the exempt patient adding an unknown field
    Then the service refuses the unknown field by name or answers as if it were not there

  @req:RTEC-REQ-01
  Scenario: A body not declared as JSON is refused
    When the client sends the exempt patient's request as text/plain
    Then the service refuses a body that is not declared as JSON
