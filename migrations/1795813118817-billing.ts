import type { MigrationInterface, QueryRunner } from "typeorm";

/** The catalogue of domain.md §10: what the fee includes and what is billed separately. */
const ITEMS: [code: string, name: string, coverage: 'INCLUDED' | 'BILLABLE', pricing: string][] = [
    ['RESIDENTIAL_FEE', 'Residential programme fee (per 30 days)', 'BILLABLE', 'FEE'],
    ['MEDICATION', 'Medication prescribed by the clinic doctor', 'BILLABLE', 'FORMULARY'],
    ['EXTRA_PSYCH_CONSULT', 'Psychiatric consultation beyond those included', 'BILLABLE', 'FIXED'],
    ['HOSPITAL_VISIT', 'Hospital visit or treatment (passed through at cost)', 'BILLABLE', 'VARIABLE'],
    ['HOSPITAL_TRANSPORT', 'Transport to and from hospital', 'BILLABLE', 'FIXED'],
    ['FLIGHT', 'Flight (passed through at cost)', 'BILLABLE', 'VARIABLE'],
    ['VISA_FEE', 'Visa fee (passed through at cost)', 'BILLABLE', 'VARIABLE'],
    ['PERSONAL_ITEMS', 'Personal items', 'BILLABLE', 'VARIABLE'],
    ['SPA_MASSAGE', 'Additional spa or massage session', 'BILLABLE', 'FIXED'],
    ['ACCOMMODATION', 'Private accommodation', 'INCLUDED', 'INCLUDED'],
    ['MEALS', 'Meals', 'INCLUDED', 'INCLUDED'],
    ['HOUSEKEEPING', 'Housekeeping and laundry', 'INCLUDED', 'INCLUDED'],
    ['GROUP_THERAPY', 'Group therapy', 'INCLUDED', 'INCLUDED'],
    ['INDIVIDUAL_THERAPY', 'Individual therapy', 'INCLUDED', 'INCLUDED'],
    ['PSYCH_INTAKE', 'Psychiatric intake assessment', 'INCLUDED', 'INCLUDED'],
    ['PSYCH_ROUTINE_CHECK', 'Routine psychiatric progress checks', 'INCLUDED', 'INCLUDED'],
    ['YOGA', 'Yoga', 'INCLUDED', 'INCLUDED'],
    ['FITNESS', 'Fitness sessions', 'INCLUDED', 'INCLUDED'],
    ['POOL', 'Swimming pool', 'INCLUDED', 'INCLUDED'],
    ['EXCURSION', 'Weekly excursions', 'INCLUDED', 'INCLUDED'],
    ['AFTERCARE', 'Two months of structured aftercare', 'INCLUDED', 'INCLUDED'],
];

/** Opening prices in satang, from 2020-01-01 (billing staff add later ones with their own dates). */
const FIXED_PRICES: [code: string, label: string, minor: number][] = [
    ['RESIDENTIAL_FEE', 'Residential programme, 30 days', 28_000_000],
    ['EXTRA_PSYCH_CONSULT', 'Extra psychiatric consultation', 450_000],
    ['HOSPITAL_TRANSPORT', 'Hospital transport, per trip', 250_000],
    ['SPA_MASSAGE', 'Spa or massage session', 180_000],
];

/** The formulary: every opioid of domain.md §3 and pain-plan drug of §9 at common strengths, per unit. */
const FORMULARY: [drug: string, strength: number, unit: string, form: string, minor: number][] = [
    ['codeine', 15, 'mg', 'tablet', 800], ['codeine', 30, 'mg', 'tablet', 1_200],
    ['fentanyl', 12, 'mcg/h', 'patch', 35_000], ['fentanyl', 25, 'mcg/h', 'patch', 55_000], ['fentanyl', 50, 'mcg/h', 'patch', 90_000],
    ['hydrocodone', 5, 'mg', 'tablet', 2_500], ['hydrocodone', 10, 'mg', 'tablet', 4_000],
    ['hydromorphone', 2, 'mg', 'tablet', 3_000], ['hydromorphone', 4, 'mg', 'tablet', 5_000],
    ['methadone', 5, 'mg', 'tablet', 1_000], ['methadone', 10, 'mg', 'tablet', 1_500],
    ['morphine', 10, 'mg', 'tablet', 1_500], ['morphine', 30, 'mg', 'tablet', 3_500],
    ['oxycodone', 5, 'mg', 'tablet', 3_500], ['oxycodone', 10, 'mg', 'tablet', 5_500], ['oxycodone', 20, 'mg', 'tablet', 9_500],
    ['oxymorphone', 5, 'mg', 'tablet', 6_000], ['oxymorphone', 10, 'mg', 'tablet', 9_000],
    ['tapentadol', 50, 'mg', 'tablet', 4_500], ['tapentadol', 100, 'mg', 'tablet', 7_500],
    ['tramadol', 50, 'mg', 'capsule', 600], ['tramadol', 100, 'mg', 'tablet', 1_000],
    ['buprenorphine', 2, 'mg', 'sublingual tablet', 6_000], ['buprenorphine', 8, 'mg', 'sublingual tablet', 15_000],
    ['paracetamol', 500, 'mg', 'tablet', 200],
    ['ibuprofen', 200, 'mg', 'tablet', 300], ['ibuprofen', 400, 'mg', 'tablet', 500],
    ['naproxen', 250, 'mg', 'tablet', 600], ['naproxen', 500, 'mg', 'tablet', 1_000],
    ['diclofenac', 25, 'mg', 'tablet', 400], ['diclofenac', 50, 'mg', 'tablet', 600],
    ['celecoxib', 100, 'mg', 'capsule', 2_500], ['celecoxib', 200, 'mg', 'capsule', 4_000],
    ['duloxetine', 30, 'mg', 'capsule', 3_500], ['duloxetine', 60, 'mg', 'capsule', 5_500],
    ['amitriptyline', 10, 'mg', 'tablet', 300], ['amitriptyline', 25, 'mg', 'tablet', 400],
    ['nortriptyline', 10, 'mg', 'capsule', 600], ['nortriptyline', 25, 'mg', 'capsule', 900],
    ['gabapentin', 100, 'mg', 'capsule', 800], ['gabapentin', 300, 'mg', 'capsule', 1_500],
    ['pregabalin', 75, 'mg', 'capsule', 2_500], ['pregabalin', 150, 'mg', 'capsule', 3_500],
    ['lidocaine', 5, '%', 'patch', 12_000],
];

/**
 * Billing: catalogue and dated prices (seeded here as data), charges with idempotency keys,
 * psychiatric consults, dispensations, invoices with lines, the days each invoice covers,
 * payments and the yearly counters. Generated from the entities and reviewed; the seed rows and
 * the integrity triggers at the end are hand-written.
 */
export class Billing1795813118817 implements MigrationInterface {
    name = 'Billing1795813118817'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "billing_items" (
                "code" text NOT NULL,
                "name" text NOT NULL,
                "coverage" text NOT NULL,
                "pricing" text NOT NULL,
                "sort_order" integer NOT NULL,
                CONSTRAINT "billing_items_pricing_check" CHECK (
                    pricing IN (
                        'INCLUDED',
                        'FIXED',
                        'VARIABLE',
                        'FORMULARY',
                        'FEE'
                    )
                    AND ((coverage = 'INCLUDED') = (pricing = 'INCLUDED'))
                ),
                CONSTRAINT "billing_items_coverage_check" CHECK (coverage IN ('INCLUDED', 'BILLABLE')),
                CONSTRAINT "PK_091f3d9089b406a9740f0e7a016" PRIMARY KEY ("code")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "charges" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "admission_id" uuid NOT NULL,
                "patient_id" uuid NOT NULL,
                "item_code" text NOT NULL,
                "product" text NOT NULL DEFAULT '',
                "description" text NOT NULL,
                "quantity" numeric(12, 3) NOT NULL,
                "unit_price_minor" bigint NOT NULL,
                "amount_minor" bigint NOT NULL,
                "currency" character(3) NOT NULL,
                "service_date" date NOT NULL,
                "source" text NOT NULL,
                "idempotency_key" text NOT NULL,
                "request_hash" text NOT NULL,
                "created_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "charges_admission_idempotency_key" UNIQUE ("admission_id", "idempotency_key"),
                CONSTRAINT "charges_currency_check" CHECK (currency ~ '^[A-Z]{3}$'),
                CONSTRAINT "charges_source_check" CHECK (source IN ('MANUAL', 'DISPENSATION', 'CONSULT')),
                CONSTRAINT "charges_amount_check" CHECK (
                    unit_price_minor >= 0
                    AND amount_minor >= 0
                    AND amount_minor = round(quantity * unit_price_minor)
                ),
                CONSTRAINT "charges_quantity_check" CHECK (quantity > 0),
                CONSTRAINT "PK_0c6feb10df0fa460714f8464dce" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "charges_admission_date_idx" ON "charges" ("admission_id", "service_date")
        `);
        await queryRunner.query(`
            CREATE TABLE "dispensations" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "admission_id" uuid NOT NULL,
                "patient_id" uuid NOT NULL,
                "drug" text NOT NULL,
                "strength" numeric(12, 3) NOT NULL,
                "unit" text NOT NULL,
                "quantity" numeric(12, 3) NOT NULL,
                "dispensed_on" date NOT NULL,
                "charge_id" uuid NOT NULL,
                "idempotency_key" text NOT NULL,
                "dispensed_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "dispensations_admission_idempotency_key" UNIQUE ("admission_id", "idempotency_key"),
                CONSTRAINT "dispensations_quantity_check" CHECK (
                    quantity > 0
                    AND strength > 0
                ),
                CONSTRAINT "PK_2fd4df898cc037676b04fffbe7c" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "dispensations_admission_date_idx" ON "dispensations" ("admission_id", "dispensed_on")
        `);
        await queryRunner.query(`
            CREATE TABLE "invoice_counters" (
                "year" integer NOT NULL,
                "last_sequence" integer NOT NULL,
                CONSTRAINT "invoice_counters_check" CHECK (last_sequence >= 1),
                CONSTRAINT "PK_92ebf3750827f45752cb0582806" PRIMARY KEY ("year")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "invoices" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "position" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "admission_id" uuid NOT NULL,
                "patient_id" uuid NOT NULL,
                "status" text NOT NULL,
                "number" text,
                "year" integer,
                "sequence" integer,
                "period_start" date NOT NULL,
                "period_end" date NOT NULL,
                "currency" character(3) NOT NULL,
                "total_minor" bigint NOT NULL,
                "paid_minor" bigint NOT NULL DEFAULT '0',
                "created_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "issued_at" TIMESTAMP WITH TIME ZONE,
                "issued_by" uuid,
                "voided_at" TIMESTAMP WITH TIME ZONE,
                "void_reason" text,
                CONSTRAINT "invoices_year_sequence_key" UNIQUE ("year", "sequence"),
                CONSTRAINT "invoices_number_key" UNIQUE ("number"),
                CONSTRAINT "invoices_void_check" CHECK (
                    (status = 'VOID') = (
                        void_reason IS NOT NULL
                        AND voided_at IS NOT NULL
                    )
                ),
                CONSTRAINT "invoices_number_check" CHECK (
                    (number IS NULL) = (issued_at IS NULL)
                    AND (
                        status <> 'DRAFT'
                        OR number IS NULL
                    )
                    AND (
                        status NOT IN ('ISSUED', 'PAID')
                        OR number IS NOT NULL
                    )
                ),
                CONSTRAINT "invoices_paid_check" CHECK (
                    (
                        status <> 'PAID'
                        OR paid_minor = total_minor
                    )
                    AND (
                        status <> 'ISSUED'
                        OR paid_minor < total_minor
                    )
                ),
                CONSTRAINT "invoices_amounts_check" CHECK (
                    total_minor >= 0
                    AND paid_minor >= 0
                    AND paid_minor <= total_minor
                ),
                CONSTRAINT "invoices_period_check" CHECK (period_end >= period_start),
                CONSTRAINT "invoices_status_check" CHECK (status IN ('DRAFT', 'ISSUED', 'PAID', 'VOID')),
                CONSTRAINT "PK_668cef7c22a427fd822cc1be3ce" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "invoices_admission_idx" ON "invoices" ("admission_id", "position")
        `);
        await queryRunner.query(`
            CREATE TABLE "invoice_lines" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "invoice_id" uuid NOT NULL,
                "position" integer NOT NULL,
                "kind" text NOT NULL,
                "description" text NOT NULL,
                "service_date" date,
                "quantity" numeric(12, 3) NOT NULL,
                "unit_price_minor" bigint,
                "amount_minor" bigint NOT NULL,
                "charge_id" uuid,
                "live" boolean NOT NULL DEFAULT true,
                CONSTRAINT "invoice_lines_invoice_position_key" UNIQUE ("invoice_id", "position"),
                CONSTRAINT "invoice_lines_charge_check" CHECK ((kind = 'CHARGE') = (charge_id IS NOT NULL)),
                CONSTRAINT "invoice_lines_amount_check" CHECK (
                    amount_minor >= 0
                    AND quantity > 0
                    AND (
                        kind <> 'INCLUDED'
                        OR amount_minor = 0
                    )
                ),
                CONSTRAINT "invoice_lines_kind_check" CHECK (
                    kind IN ('RESIDENTIAL_FEE', 'CHARGE', 'INCLUDED')
                ),
                CONSTRAINT "PK_3d18eb48142b916f581f0c21a65" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "invoice_lines_one_live_per_charge" ON "invoice_lines" ("charge_id")
            WHERE live
                AND charge_id IS NOT NULL
        `);
        await queryRunner.query(`
            CREATE TABLE "invoiced_days" (
                "invoice_id" uuid NOT NULL,
                "day" date NOT NULL,
                "admission_id" uuid NOT NULL,
                "live" boolean NOT NULL DEFAULT true,
                CONSTRAINT "PK_6ea602794ac40c57a5824061add" PRIMARY KEY ("invoice_id", "day")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "invoiced_days_one_live_per_day" ON "invoiced_days" ("admission_id", "day")
            WHERE live
        `);
        await queryRunner.query(`
            CREATE TABLE "payments" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "invoice_id" uuid NOT NULL,
                "amount_minor" bigint NOT NULL,
                "method" text NOT NULL,
                "received_on" date NOT NULL,
                "reference" text,
                "recorded_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "payments_method_check" CHECK (method IN ('CARD', 'TRANSFER', 'CASH')),
                CONSTRAINT "payments_amount_check" CHECK (amount_minor > 0),
                CONSTRAINT "PK_197ab7af18c93fbb0c9b28b4a59" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "payments_invoice_idx" ON "payments" ("invoice_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "prices" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "item_code" text NOT NULL,
                "product" text NOT NULL DEFAULT '',
                "label" text NOT NULL,
                "unit_price_minor" bigint NOT NULL,
                "currency" character(3) NOT NULL,
                "valid_from" date NOT NULL,
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "prices_item_product_from_key" UNIQUE ("item_code", "product", "valid_from"),
                CONSTRAINT "prices_currency_check" CHECK (currency ~ '^[A-Z]{3}$'),
                CONSTRAINT "prices_amount_check" CHECK (unit_price_minor >= 0),
                CONSTRAINT "PK_2e40b9e4e631a53cd514d82ccd2" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "psych_consults" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "admission_id" uuid NOT NULL,
                "patient_id" uuid NOT NULL,
                "date" date NOT NULL,
                "kind" text NOT NULL,
                "notes" text,
                "billable" boolean NOT NULL,
                "charge_id" uuid,
                "idempotency_key" text NOT NULL,
                "created_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "psych_consults_admission_idempotency_key" UNIQUE ("admission_id", "idempotency_key"),
                CONSTRAINT "psych_consults_charge_check" CHECK (billable = (charge_id IS NOT NULL)),
                CONSTRAINT "psych_consults_kind_check" CHECK (kind IN ('INTAKE', 'ROUTINE', 'ADDITIONAL')),
                CONSTRAINT "PK_a68832443995b751bcaf0ba900e" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "psych_consults_admission_date_idx" ON "psych_consults" ("admission_id", "date")
        `);
        await queryRunner.query(`
            ALTER TABLE "charges"
            ADD CONSTRAINT "FK_e22c5f63c9f6a015f6fa1d3b2a8" FOREIGN KEY ("admission_id") REFERENCES "admissions"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "charges"
            ADD CONSTRAINT "FK_96d8ab5d4ad79448e2b1fc5da44" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "charges"
            ADD CONSTRAINT "FK_422dc7917e01d44cc83de205d7b" FOREIGN KEY ("item_code") REFERENCES "billing_items"("code") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "charges"
            ADD CONSTRAINT "FK_8fa7e7c7b1566945ff58bae7193" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "dispensations"
            ADD CONSTRAINT "FK_7b77a0feea3f0076f88156bc5cb" FOREIGN KEY ("admission_id") REFERENCES "admissions"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "dispensations"
            ADD CONSTRAINT "FK_27bcf27be8f683ba51fdc2166a6" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "dispensations"
            ADD CONSTRAINT "FK_0af4e6dacf3422d93503f813e6c" FOREIGN KEY ("charge_id") REFERENCES "charges"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "dispensations"
            ADD CONSTRAINT "FK_8162e3b02e53b35039235caa2f4" FOREIGN KEY ("dispensed_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "invoices"
            ADD CONSTRAINT "FK_3b2976cb9255bc3785fa6883b32" FOREIGN KEY ("admission_id") REFERENCES "admissions"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "invoices"
            ADD CONSTRAINT "FK_e3be0c11f4ce66b9b352477cb06" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "invoices"
            ADD CONSTRAINT "FK_39a202af5d1dd1744458820ecb5" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "invoices"
            ADD CONSTRAINT "FK_583c9037bc0cbe84ab512a33580" FOREIGN KEY ("issued_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "invoice_lines"
            ADD CONSTRAINT "FK_2da95dc86a54a00ff20ce46d0fe" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "invoice_lines"
            ADD CONSTRAINT "FK_c68aae56ac4b2c9e64e88d352b5" FOREIGN KEY ("charge_id") REFERENCES "charges"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "invoiced_days"
            ADD CONSTRAINT "FK_b9d761541c5c5c190aa2ae43e02" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "invoiced_days"
            ADD CONSTRAINT "FK_7ed7ca03d215614c4eaf90facd4" FOREIGN KEY ("admission_id") REFERENCES "admissions"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "payments"
            ADD CONSTRAINT "FK_563a5e248518c623eebd987d43e" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "payments"
            ADD CONSTRAINT "FK_b8128ab843771cf6d42ab3ca188" FOREIGN KEY ("recorded_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "prices"
            ADD CONSTRAINT "FK_04fd55df05f1ae75b890cf8cdae" FOREIGN KEY ("item_code") REFERENCES "billing_items"("code") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "prices"
            ADD CONSTRAINT "FK_5879308e801e468de08f01c9f05" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "psych_consults"
            ADD CONSTRAINT "FK_0b30a2dd340d1fee4b1e7d49730" FOREIGN KEY ("admission_id") REFERENCES "admissions"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "psych_consults"
            ADD CONSTRAINT "FK_33b0c96ab157289beefae9d221e" FOREIGN KEY ("patient_id") REFERENCES "patients"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "psych_consults"
            ADD CONSTRAINT "FK_b4116304e7d6af0d5f138af55d5" FOREIGN KEY ("charge_id") REFERENCES "charges"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "psych_consults"
            ADD CONSTRAINT "FK_a7339bed24225761494f4615dc2" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        // One charge backs at most one dispensation or consult (added by hand after generation).
        await queryRunner.query(`CREATE UNIQUE INDEX "dispensations_charge_key" ON "dispensations" ("charge_id")`);
        await queryRunner.query(`CREATE UNIQUE INDEX "psych_consults_charge_key" ON "psych_consults" ("charge_id")`);
        await this.seedCatalogue(queryRunner);
        await this.createIntegrityTriggers(queryRunner);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP FUNCTION invoices_guard(), invoice_children_guard(), payments_guard(), invoice_totals_check() CASCADE`);
        await queryRunner.query(`
            ALTER TABLE "psych_consults" DROP CONSTRAINT "FK_a7339bed24225761494f4615dc2"
        `);
        await queryRunner.query(`
            ALTER TABLE "psych_consults" DROP CONSTRAINT "FK_b4116304e7d6af0d5f138af55d5"
        `);
        await queryRunner.query(`
            ALTER TABLE "psych_consults" DROP CONSTRAINT "FK_33b0c96ab157289beefae9d221e"
        `);
        await queryRunner.query(`
            ALTER TABLE "psych_consults" DROP CONSTRAINT "FK_0b30a2dd340d1fee4b1e7d49730"
        `);
        await queryRunner.query(`
            ALTER TABLE "prices" DROP CONSTRAINT "FK_5879308e801e468de08f01c9f05"
        `);
        await queryRunner.query(`
            ALTER TABLE "prices" DROP CONSTRAINT "FK_04fd55df05f1ae75b890cf8cdae"
        `);
        await queryRunner.query(`
            ALTER TABLE "payments" DROP CONSTRAINT "FK_b8128ab843771cf6d42ab3ca188"
        `);
        await queryRunner.query(`
            ALTER TABLE "payments" DROP CONSTRAINT "FK_563a5e248518c623eebd987d43e"
        `);
        await queryRunner.query(`
            ALTER TABLE "invoiced_days" DROP CONSTRAINT "FK_7ed7ca03d215614c4eaf90facd4"
        `);
        await queryRunner.query(`
            ALTER TABLE "invoiced_days" DROP CONSTRAINT "FK_b9d761541c5c5c190aa2ae43e02"
        `);
        await queryRunner.query(`
            ALTER TABLE "invoice_lines" DROP CONSTRAINT "FK_c68aae56ac4b2c9e64e88d352b5"
        `);
        await queryRunner.query(`
            ALTER TABLE "invoice_lines" DROP CONSTRAINT "FK_2da95dc86a54a00ff20ce46d0fe"
        `);
        await queryRunner.query(`
            ALTER TABLE "invoices" DROP CONSTRAINT "FK_583c9037bc0cbe84ab512a33580"
        `);
        await queryRunner.query(`
            ALTER TABLE "invoices" DROP CONSTRAINT "FK_39a202af5d1dd1744458820ecb5"
        `);
        await queryRunner.query(`
            ALTER TABLE "invoices" DROP CONSTRAINT "FK_e3be0c11f4ce66b9b352477cb06"
        `);
        await queryRunner.query(`
            ALTER TABLE "invoices" DROP CONSTRAINT "FK_3b2976cb9255bc3785fa6883b32"
        `);
        await queryRunner.query(`
            ALTER TABLE "dispensations" DROP CONSTRAINT "FK_8162e3b02e53b35039235caa2f4"
        `);
        await queryRunner.query(`
            ALTER TABLE "dispensations" DROP CONSTRAINT "FK_0af4e6dacf3422d93503f813e6c"
        `);
        await queryRunner.query(`
            ALTER TABLE "dispensations" DROP CONSTRAINT "FK_27bcf27be8f683ba51fdc2166a6"
        `);
        await queryRunner.query(`
            ALTER TABLE "dispensations" DROP CONSTRAINT "FK_7b77a0feea3f0076f88156bc5cb"
        `);
        await queryRunner.query(`
            ALTER TABLE "charges" DROP CONSTRAINT "FK_8fa7e7c7b1566945ff58bae7193"
        `);
        await queryRunner.query(`
            ALTER TABLE "charges" DROP CONSTRAINT "FK_422dc7917e01d44cc83de205d7b"
        `);
        await queryRunner.query(`
            ALTER TABLE "charges" DROP CONSTRAINT "FK_96d8ab5d4ad79448e2b1fc5da44"
        `);
        await queryRunner.query(`
            ALTER TABLE "charges" DROP CONSTRAINT "FK_e22c5f63c9f6a015f6fa1d3b2a8"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."psych_consults_admission_date_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "psych_consults"
        `);
        await queryRunner.query(`
            DROP TABLE "prices"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."payments_invoice_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "payments"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."invoiced_days_one_live_per_day"
        `);
        await queryRunner.query(`
            DROP TABLE "invoiced_days"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."invoice_lines_one_live_per_charge"
        `);
        await queryRunner.query(`
            DROP TABLE "invoice_lines"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."invoices_admission_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "invoices"
        `);
        await queryRunner.query(`
            DROP TABLE "invoice_counters"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."dispensations_admission_date_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "dispensations"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."charges_admission_date_idx"
        `);
        await queryRunner.query(`
            DROP TABLE "charges"
        `);
        await queryRunner.query(`
            DROP TABLE "billing_items"
        `);
    }


    private async seedCatalogue(db: QueryRunner): Promise<void> {
        for (const [index, [code, name, coverage, pricing]] of ITEMS.entries()) {
            await db.query(`INSERT INTO billing_items (code, name, coverage, pricing, sort_order) VALUES ($1, $2, $3, $4, $5)`, [code, name, coverage, pricing, index + 1]);
        }
        const insertPrice = `INSERT INTO prices (item_code, product, label, unit_price_minor, currency, valid_from) VALUES ($1, $2, $3, $4, 'THB', '2020-01-01')`;
        for (const [code, label, minor] of FIXED_PRICES) await db.query(insertPrice, [code, '', label, minor]);
        for (const [drug, strength, unit, form, minor] of FORMULARY) {
            const label = `${drug[0]!.toUpperCase()}${drug.slice(1)} ${strength} ${unit} ${form}`;
            await db.query(insertPrice, ['MEDICATION', `${drug}:${strength}:${unit}`, label, minor]);
        }
    }

    /**
     * Integrity that does not rest on the application: an issued invoice and its lines never
     * change (only its status, payments and void fields move, along the allowed paths); lines and
     * covered days are added only to drafts and released only by a void; nothing is deleted; and
     * at commit every invoice's total equals its lines and its paid amount equals its payments.
     */
    private async createIntegrityTriggers(db: QueryRunner): Promise<void> {
        await db.query(`
            CREATE FUNCTION invoices_guard() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    RAISE EXCEPTION 'invoices are never deleted; void them' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                IF NOT ((OLD.status, NEW.status) IN (('DRAFT', 'DRAFT'), ('DRAFT', 'ISSUED'), ('DRAFT', 'PAID'), ('DRAFT', 'VOID'),
                                                     ('ISSUED', 'ISSUED'), ('ISSUED', 'PAID'), ('ISSUED', 'VOID'))) THEN
                    RAISE EXCEPTION 'invoice % cannot go from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                IF OLD.status <> 'DRAFT' AND (NEW.admission_id, NEW.patient_id, NEW.number, NEW.year, NEW.sequence, NEW.period_start,
                        NEW.period_end, NEW.currency, NEW.total_minor, NEW.issued_at, NEW.issued_by, NEW.created_at)
                    IS DISTINCT FROM (OLD.admission_id, OLD.patient_id, OLD.number, OLD.year, OLD.sequence, OLD.period_start,
                        OLD.period_end, OLD.currency, OLD.total_minor, OLD.issued_at, OLD.issued_by, OLD.created_at) THEN
                    RAISE EXCEPTION 'issued invoice % cannot change', OLD.id USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
            END $$`);
        await db.query(`CREATE TRIGGER invoices_guard BEFORE UPDATE OR DELETE ON invoices FOR EACH ROW EXECUTE FUNCTION invoices_guard()`);

        await db.query(`
            CREATE FUNCTION invoice_children_guard() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                invoice_status text;
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    RAISE EXCEPTION '% rows are never deleted', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                SELECT status INTO invoice_status FROM invoices WHERE id = NEW.invoice_id;
                IF TG_OP = 'INSERT' AND invoice_status <> 'DRAFT' THEN
                    RAISE EXCEPTION 'only a draft invoice gets new %', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                IF TG_OP = 'UPDATE' AND NOT (invoice_status = 'VOID' AND OLD.live AND NOT NEW.live
                        AND (to_jsonb(NEW) - 'live') = (to_jsonb(OLD) - 'live')) THEN
                    RAISE EXCEPTION '% of invoice % cannot change, except released by a void', TG_TABLE_NAME, NEW.invoice_id
                        USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
            END $$`);
        for (const table of ['invoice_lines', 'invoiced_days']) {
            await db.query(`CREATE TRIGGER ${table}_guard BEFORE INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION invoice_children_guard()`);
        }

        await db.query(`
            CREATE FUNCTION payments_guard() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'INSERT' THEN
                    RAISE EXCEPTION 'payments are never changed or deleted' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                IF (SELECT status FROM invoices WHERE id = NEW.invoice_id) <> 'ISSUED' THEN
                    RAISE EXCEPTION 'payments are recorded only against an issued, unpaid invoice' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
            END $$`);
        await db.query(`CREATE TRIGGER payments_guard BEFORE INSERT OR UPDATE OR DELETE ON payments FOR EACH ROW EXECUTE FUNCTION payments_guard()`);

        await db.query(`
            CREATE FUNCTION invoice_totals_check() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                target uuid := CASE TG_TABLE_NAME WHEN 'invoices' THEN (to_jsonb(NEW)->>'id')::uuid ELSE (to_jsonb(NEW)->>'invoice_id')::uuid END;
                mismatch boolean;
            BEGIN
                SELECT i.total_minor <> coalesce((SELECT sum(l.amount_minor) FROM invoice_lines l WHERE l.invoice_id = i.id), 0)
                    OR i.paid_minor <> coalesce((SELECT sum(p.amount_minor) FROM payments p WHERE p.invoice_id = i.id), 0)
                  INTO mismatch FROM invoices i WHERE i.id = target;
                IF mismatch THEN
                    RAISE EXCEPTION 'invoice % totals do not match its lines and payments', target USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NULL;
            END $$`);
        for (const table of ['invoices', 'invoice_lines', 'payments']) {
            await db.query(`CREATE CONSTRAINT TRIGGER ${table}_totals AFTER INSERT OR UPDATE ON ${table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION invoice_totals_check()`);
        }
    }
}
