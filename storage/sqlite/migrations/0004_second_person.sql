-- The second team member on a case (/second): two named people for contact with a reported person.
ALTER TABLE cases ADD COLUMN second_person TEXT;
