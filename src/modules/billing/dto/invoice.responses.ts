import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INVOICE_STATUSES, type InvoiceStatus } from '../entities/invoice.entity.js';
import { LINE_KINDS, type LineKind } from '../entities/invoice-line.entity.js';
import { PAYMENT_METHODS, type PaymentMethod } from '../entities/payment.entity.js';

export class InvoiceLineDto {
  @ApiProperty({ enum: LINE_KINDS }) kind: LineKind;
  @ApiProperty() description: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) serviceDate: string | null;
  @ApiProperty() quantity: number;
  @ApiProperty({ type: Number, nullable: true }) unitPriceMinor: number | null;
  @ApiProperty() amountMinor: number;
  @ApiPropertyOptional({ format: 'uuid', description: 'On every CHARGE line.' }) chargeId?: string;
}

export class PaymentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() amountMinor: number;
  @ApiProperty({ enum: PAYMENT_METHODS }) method: PaymentMethod;
  @ApiProperty({ format: 'date' }) receivedOn: string;
  @ApiProperty({ type: String, nullable: true }) reference: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The key the payment was recorded with, if any.' }) idempotencyKey: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Set when the payment was voided: it stays listed and is not counted in paidMinor.' }) voidedAt: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) voidedBy: string | null;
  @ApiProperty({ type: String, nullable: true }) voidReason: string | null;
}

export class InvoiceResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) admissionId: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty({ example: 'HN-000123', description: "The patient's hospital number, printed beside the name on the PDF." }) hn: string;
  @ApiProperty({ enum: INVOICE_STATUSES }) status: InvoiceStatus;
  @ApiProperty({ type: String, nullable: true, example: 'INV-2027-000001' }) number: string | null;
  @ApiProperty({ format: 'date' }) periodStart: string;
  @ApiProperty({ format: 'date' }) periodEnd: string;
  @ApiProperty({ description: 'Days of the residential fee the invoice bills (0 for charges alone).' }) days: number;
  @ApiProperty({ description: 'A supplementary invoice of charges alone, without the residential fee.' }) chargesOnly: boolean;
  @ApiProperty({ type: [InvoiceLineDto] }) lines: InvoiceLineDto[];
  @ApiProperty() totalMinor: number;
  @ApiProperty({ description: 'The payments that are not void.' }) paidMinor: number;
  @ApiProperty() balanceMinor: number;
  @ApiProperty({ example: 'THB' }) currency: string;
  @ApiProperty({ type: [PaymentDto], description: 'Oldest first, void ones included (with voidedAt).' }) payments: PaymentDto[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) issuedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) voidedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) voidReason: string | null;
  @ApiProperty({ format: 'uuid' }) createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class InvoicePage {
  @ApiProperty({ type: [InvoiceResponse], description: 'Oldest first.' }) items: InvoiceResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
