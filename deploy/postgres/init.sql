-- One database per service (ARCHITECTURE.md §2); run once by the postgres image on first start.
CREATE DATABASE reservo_booking;
CREATE DATABASE reservo_payment;
CREATE DATABASE reservo_user;
CREATE DATABASE reservo_catalog;
CREATE DATABASE reservo_receipt;
CREATE DATABASE reservo_notification;
CREATE DATABASE reservo_location;
CREATE DATABASE reservo_analytics;
CREATE DATABASE reservo_integration;
CREATE DATABASE reservo_admin;
