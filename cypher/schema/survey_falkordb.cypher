CREATE INDEX FOR (n:Survey) ON (n.key);
CREATE INDEX FOR (n:SurveyPerson) ON (n.key);
CREATE INDEX FOR (n:Respondent) ON (n.key);
CREATE INDEX FOR (n:Respondent) ON (n.token_hash);
CREATE INDEX FOR (n:WriteIn) ON (n.key)
