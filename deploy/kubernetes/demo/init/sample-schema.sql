-- The sample schema of the demo and the end-to-end tests: customers with personal data that
-- later policies mask, and their orders. Run in the target database as its owner.
CREATE TABLE customers (
    id          serial PRIMARY KEY,
    name        text NOT NULL,
    email       text NOT NULL,
    card_number text NOT NULL,
    ssn         text NOT NULL
);

CREATE TABLE orders (
    id          serial PRIMARY KEY,
    customer_id int NOT NULL REFERENCES customers (id),
    amount      numeric(10, 2) NOT NULL,
    status      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- 50 customers with fake names, emails, Luhn-valid test card numbers and fake SSNs.
INSERT INTO customers (name, email, card_number, ssn)
SELECT 'Customer ' || i,
       'customer' || i || '@example.com',
       (ARRAY['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117'])[1 + i % 4],
       lpad((100 + i)::text, 3, '0') || '-' || lpad((10 + i % 90)::text, 2, '0') || '-' || lpad((1000 + i)::text, 4, '0')
FROM generate_series(1, 50) AS i;

-- 200 orders spread over the customers.
INSERT INTO orders (customer_id, amount, status)
SELECT 1 + i % 50, round((10 + (i * 37) % 990)::numeric, 2),
       (ARRAY['new', 'paid', 'shipped', 'cancelled'])[1 + i % 4]
FROM generate_series(1, 200) AS i;
