// Form schemas (Zod), mirroring the API's own validation so people see the problem before sending.
import { z } from "zod";

export const detailsSchema = z.object({
  name: z.string().trim().min(1, "v.name").max(200),
  email: z.string().trim().email("v.email"),
  phone: z
    .string()
    .trim()
    .refine((v) => v === "" || /^\+?[0-9 ()./-]{3,40}$/.test(v), "v.phone"),
  notes: z.string().max(2000),
  quantity: z.coerce.number().int().min(1, "v.positive").max(100),
  smsConsent: z.boolean().default(false),
});
export type DetailsForm = z.infer<typeof detailsSchema>;

export const signInSchema = z.object({
  email: z.string().trim().email("v.email"),
  password: z.string().min(1, "v.password"),
});

export const registerSchema = z.object({
  name: z.string().trim().min(1, "v.name"),
  email: z.string().trim().email("v.email"),
  password: z.string().min(10, "v.password"),
});

/** Card number as typed (spaces allowed) → digits; 13–19 digits. */
export const cardSchema = z.object({
  card: z
    .string()
    .transform((v) => v.replace(/[\s-]/g, ""))
    .refine((v) => /^[0-9]{13,19}$/.test(v), "v.card"),
});
