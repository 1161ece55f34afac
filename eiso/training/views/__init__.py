"""Pages of training and competence: courses and their sessions (attendance, evidence,
certificates for those who passed), certificates, a person's competence history."""
